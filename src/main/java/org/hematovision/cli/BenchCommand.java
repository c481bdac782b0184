package org.hematovision.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hematovision.bench.ProcessMemory;
import org.hematovision.bench.ResidentSampler;
import org.hematovision.bench.ResidentSet;
import org.hematovision.capture.FrameSource;
import org.hematovision.capture.ImageFolderSource;
import org.hematovision.capture.synthetic.SmearParams;
import org.hematovision.capture.synthetic.SyntheticSmear;
import org.hematovision.capture.synthetic.SyntheticSource;
import org.hematovision.capture.synthetic.SyntheticSourceConfig;
import org.hematovision.config.AppConfig;
import org.hematovision.config.Settings;
import org.hematovision.pipeline.RunLimits;
import org.hematovision.pipeline.RunLoop;
import org.hematovision.pipeline.Stage;
import org.hematovision.pipeline.StageTimings;
import org.hematovision.sample.SampleConfig;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the whole appliance on still fields (synthetic or a folder): per-stage median and p95
 * latency, fields per second and memory, with every real part in place (TensorFlow, OpenCV, the
 * in-process broker, the PNG display, the record store in a temporary directory). {@code --jmh}
 * adds the JMH micro-benchmarks of single stages.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Per-stage latency, fields per second and memory of the full pipeline; --jmh for micro-benchmarks.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--fields", paramLabel = "N", defaultValue = "200", description = "Fields to analyse (default: ${DEFAULT-VALUE}).")
    int fields;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "20", description = "Fields analysed before measuring (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--target-cells", paramLabel = "N", defaultValue = "" + SampleConfig.MAX_TARGET_CELLS,
            description = "Leukocytes per sample; a new sample starts when one finishes (default: ${DEFAULT-VALUE}).")
    int targetCells;

    @Option(names = "--images", paramLabel = "DIR", description = "Use the image files in DIR as fields instead of synthetic ones.")
    Path images;

    @Option(names = "--source", paramLabel = "SPEC",
            description = "Read fields from a source as `run` does (e.g. synthetic: the moving-slide camera at 1280x720)"
                    + " instead of still fields; steady-state memory of this run is what `run` holds.")
    String source;

    @Option(names = "--model", paramLabel = "DIR", description = "Classifier bundle (default: models/wbc-mobilenetv2).")
    Path model;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the synthetic fields (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--jmh", paramLabel = "REGEX", arity = "0..1", fallbackValue = "org.hematovision.bench.*",
            description = "Also run the JMH micro-benchmarks matching REGEX (default: all).")
    String jmh;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (fields < 1 || warmup < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--fields must be >= 1 and --warmup >= 0 (got --fields " + fields + ", --warmup " + warmup + ")");
        }
        if (targetCells < 1 || targetCells > SampleConfig.MAX_TARGET_CELLS) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--target-cells must be 1.."
                    + SampleConfig.MAX_TARGET_CELLS + " (got " + targetCells + ")");
        }
        if (source != null && images != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --source or --images, not both");
        }
        Path tmp = Files.createTempDirectory("hematovision-bench");
        try {
            return measure(tmp);
        } finally {
            deleteTree(tmp);
        }
    }

    private int measure(Path tmp) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AppConfig warmCfg = config(tmp.resolve("warm-up"));
        AppConfig cfg = config(tmp.resolve("measured"));
        out.println("bench: " + (source != null ? "source " + source : images == null ? "synthetic still fields "
                + SmearParams.DEFAULT_WIDTH + "x" + SmearParams.DEFAULT_HEIGHT + " seed " + seed : "images in " + images)
                + ", " + warmup + " warm-up + " + fields + " measured fields, " + targetCells + " leukocytes per sample");
        if (warmup > 0) {
            RunLoop.Summary warmed;
            try (Appliance warm = new SampleAfterSample(l -> { })
                    .start(warmCfg, source(warmup), RunLimits.fields(warmup))) {
                warmed = warm.run();
            }
            if (warmed.failed()) {
                err.println("hematovision bench: the warm-up stopped: " + warmed.endReason() + " (see the log)");
                return 1;
            }
        }
        StageTimings timings;
        long t0;
        long elapsed;
        RunLoop.Summary summary;
        Map<String, Long> bySink;
        ResidentSampler.Summary resident;
        // A sample closes at --target-cells leukocytes; the next one starts at once, as on a clinic's bench.
        SampleAfterSample samples = new SampleAfterSample(l -> { });
        try (Appliance app = samples.start(cfg, source(fields), RunLimits.fields(fields));
             ResidentSampler sampler = ResidentSampler.start(250)) {
            t0 = System.nanoTime();
            summary = app.run();
            elapsed = System.nanoTime() - t0;
            resident = sampler.summary();
            timings = app.pipeline().timings();
            bySink = app.sinks().nanosBySink();
        }
        ProcessMemory mem = ProcessMemory.read();
        out.println();
        out.println(String.format(Locale.ROOT, "%-10s %8s %10s %10s", "stage", "count", "median ms", "p95 ms"));
        timings.summary().forEach((stage, s) -> out.println(String.format(Locale.ROOT, "%-10s %8d %10.2f %10.2f",
                stage.name().toLowerCase(Locale.ROOT), s.count(), s.medianNanos() / 1e6, s.p95Nanos() / 1e6)));
        long analysed = summary.fieldsAnalysed();
        bySink.forEach((sink, nanos) -> out.println(String.format(Locale.ROOT, "  publish: %-20s %7.2f ms per field",
                sink, nanos / 1e6 / Math.max(1, analysed))));
        out.println();
        out.println(String.format(Locale.ROOT, "fields analysed      %d (%d frames, %d white cells, %d samples finished)",
                analysed, summary.framesRead(), summary.whiteCells(), samples.samplesFinished()));
        out.println(String.format(Locale.ROOT, "fields per second    %.2f", analysed / (elapsed / 1e9)));
        var classify = timings.summary().get(Stage.CLASSIFY);
        if (classify != null && summary.whiteCells() > 0) {
            out.println(String.format(Locale.ROOT, "classify per cell    %.2f ms (total classify time / cells)",
                    classify.totalNanos() / 1e6 / summary.whiteCells()));
        }
        ResidentSet steady = resident.steadyMedian();
        out.println(String.format(Locale.ROOT, "steady resident      %s (anonymous %s + file-backed %s; median of the"
                        + " second half of %d samples taken every 250 ms while measuring; largest %s)",
                ProcessMemory.mb(steady.totalBytes()), ProcessMemory.mb(steady.anonymousBytes()),
                ProcessMemory.mb(steady.fileBytes()), resident.samples(), ProcessMemory.mb(resident.maxTotalBytes())));
        out.println("peak resident memory " + ProcessMemory.mb(mem.peakResidentBytes()) + " (since start, model loading included)");
        out.println("resident memory now  " + ProcessMemory.mb(mem.residentBytes()));
        out.println("java heap in use     " + ProcessMemory.mb(mem.heapUsedBytes()));
        out.println("javacpp native       " + ProcessMemory.mb(mem.javacppBytes()));
        out.flush();
        // Figures of a run that failed or stopped short are not those of --fields fields: say so and fail.
        if (summary.failed()) {
            err.println("hematovision bench: the run stopped: " + summary.endReason() + " (see the log); "
                    + analysed + " of " + fields + " fields analysed");
            return 1;
        }
        if (analysed < fields) {
            err.println("hematovision bench: only " + analysed + " of " + fields + " fields analysed ("
                    + summary.endReason() + "; " + summary.framesRead() + " frames read"
                    + (images != null ? " from " + images : "") + ")");
            return 1;
        }
        if (jmh != null) {
            runJmh(jmh);
        }
        return 0;
    }

    /** Each run gets its own data directory and broker port (a closed broker's port may linger). */
    private AppConfig config(Path dataDir) throws IOException {
        return AppConfig.from(Settings.of(Map.of(
                "data.dir", dataDir.toString(),
                "mqtt.port", String.valueOf(freePort()),
                "sample.targetCells", String.valueOf(targetCells),
                "sample.maxFields", "0",
                "sample.maxMinutes", "0",
                "capture.source", source == null ? "synthetic" : source,
                "inference.model", (model == null ? AppConfig.home().resolve("models/wbc-mobilenetv2") : model)
                        .toString())));
    }

    private FrameSource source(int count) throws org.hematovision.capture.CaptureException {
        if (source != null) {
            return null; // the configured capture.source, opened by the appliance as in `run`
        }
        if (images != null) {
            return ImageFolderSource.open(images);
        }
        SyntheticSourceConfig stills = SyntheticSourceConfig.stills();
        return new SyntheticSource(new SyntheticSmear(SmearParams.defaults()), stills, seed);
    }

    private static void runJmh(String include) throws Exception {
        Options opts = new OptionsBuilder()
                .include(include)
                .forks(1)
                .warmupIterations(2).warmupTime(TimeValue.seconds(2))
                .measurementIterations(3).measurementTime(TimeValue.seconds(3))
                .build();
        new Runner(opts).run();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
