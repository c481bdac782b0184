package org.hematovision.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hematovision.config.AppConfig;
import org.hematovision.pipeline.RunLimits;
import org.hematovision.pipeline.RunLoop;
import org.hematovision.sample.SampleConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The appliance service: runs the pipeline until a limit, the end of the source, or Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the appliance: capture, gate, segment, classify, count, display and publish.")
public final class RunCommand implements Callable<Integer> {

    /** How long Ctrl-C waits for the current field and the sample's record before giving up. */
    private static final long SHUTDOWN_WAIT_SECONDS = 20;

    @Mixin
    ConfigOptions config;

    @Option(names = "--fields", paramLabel = "N", description = "Count one sample of N analysed fields, then stop "
            + "(0 = no limit). The sample's own field and time limits are lifted; it ends sooner only at "
            + "1000 leukocytes, the most one sample counts.")
    long fields;

    @Option(names = "--cells", paramLabel = "N",
            description = "Count N leukocytes (nucleated red cells are reported per 100 of them), then stop "
                    + "(sets the sample target to N; 0 = configured target, keep running).")
    int cells;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this many seconds (0 = no limit).")
    long seconds;

    @Option(names = "--systemd", description = "Send readiness and watchdog notifications to systemd.")
    boolean systemd;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        AppConfig cfg = config.load();
        if (cells > 0) {
            cfg = cfg.withTargetCells(cells);
        } else if (fields > 0) {
            // --fields N closes the sample at N fields: the cell target must not close it first.
            cfg = cfg.withTargetCells(SampleConfig.MAX_TARGET_CELLS);
        }
        if (fields > 0) {
            // ...and neither must sample.maxFields (300 by default) or sample.maxMinutes when N is
            // larger: the run is one sample of N fields. Beyond the key's range the sample has no field
            // limit of its own.
            cfg = cfg.withFieldLimitOnly(fields <= SampleConfig.MAX_FIELDS_LIMIT ? (int) fields : 0);
        }
        var out = spec.commandLine().getOut();
        SystemdNotifier notifier = new SystemdNotifier(systemd);
        // Counted down once the appliance is closed (MQTT drained, LEDs and buzzer off, records flushed):
        // on SIGTERM the JVM halts as soon as the shutdown hook returns.
        CountDownLatch closed = new CountDownLatch(1);
        boolean failed;
        try (Appliance appliance = Appliance.start(cfg, RunLimits.forRun(fields, cells, seconds), line -> {
            out.println(line);
            out.flush();
        }, notifier)) {
            Thread hook = new Thread(() -> {
                appliance.operator().shutdown();
                try {
                    closed.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            notifier.ready();
            RunLoop.Summary summary;
            try {
                summary = appliance.run();
            } finally {
                notifier.stopping();
            }
            out.println("stopped: " + summary.endReason() + "; " + summary.framesRead() + " frames read, "
                    + summary.fieldsAnalysed() + " fields analysed, skipped " + summary.skips()
                    + (summary.fieldsFailed() > 0 ? ", " + summary.fieldsFailed() + " failed (see the log)" : ""));
            if (summary.lastSample() != null) {
                out.println("differential " + summary.lastSample().sampleId() + ": "
                        + RunLoop.formatDifferential(summary.lastSample()));
            }
            failed = summary.failed();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // Ctrl-C: the hook is running and waits until the appliance is closed
            }
        } finally {
            closed.countDown();
        }
        return failed ? 1 : 0;
    }
}
