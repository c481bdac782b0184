package org.hematovision.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.hematovision.board.Scheduler;
import org.hematovision.capture.CaptureException;
import org.hematovision.capture.FrameSource;
import org.hematovision.capture.FrameSources;
import org.hematovision.classify.CellClassifier;
import org.hematovision.classify.ModelMetadata;
import org.hematovision.classify.TfCellClassifier;
import org.hematovision.config.AppConfig;
import org.hematovision.display.DisplayController;
import org.hematovision.display.LinkStatus;
import org.hematovision.display.PanelSpec;
import org.hematovision.display.PngDisplay;
import org.hematovision.field.LaplacianFieldGate;
import org.hematovision.mqtt.DeviceInfo;
import org.hematovision.mqtt.MqttPublisher;
import org.hematovision.pipeline.OperatorRequests;
import org.hematovision.pipeline.Pipeline;
import org.hematovision.pipeline.RunLimits;
import org.hematovision.pipeline.RunLoop;
import org.hematovision.pipeline.Sinks;
import org.hematovision.sample.ReportBuilder;
import org.hematovision.sample.SampleJournal;
import org.hematovision.sample.SampleListener;
import org.hematovision.sample.SampleManager;
import org.hematovision.segment.ClassicalSegmenter;
import org.hematovision.store.RecordStore;
import org.hematovision.store.RecordingListener;
import org.tinylog.Logger;

/**
 * The running appliance, wired explicitly from the configuration: source → gate → segmenter →
 * classifier → sample manager → sinks (display, MQTT, record store). Whatever was opened is closed
 * in reverse order, so a failure half-way through start-up leaks nothing, and on close the outputs
 * go to a safe state (the display shows "stopped", the broker gets the offline status).
 */
public final class Appliance implements AutoCloseable {

    /** How often the display learns the broker link state and the outbox backlog. */
    private static final long LINK_POLL_MILLIS = 2_000;
    /** Minimum time between two writes of the virtual display PNG. */
    private static final long PNG_MIN_INTERVAL_MILLIS = 200;

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private final OperatorRequests operator = new OperatorRequests();
    private final RunLoop loop;
    private final Pipeline pipeline;
    private final CellClassifier classifier;

    private Appliance(AppConfig config, FrameSource sourceOverride, RunLimits limits, Consumer<String> console,
                      Runnable heartbeat, Clock clock) throws IOException, CaptureException {
        boolean ok = false;
        try {
            Files.createDirectories(config.dataDir());
            TfCellClassifier tf = TfCellClassifier.open(config.inference());
            opened.push(tf);
            classifier = tf;
            ModelMetadata model = tf.metadata();

            List<SampleListener> sinks = new ArrayList<>();
            Scheduler.SystemScheduler scheduler = Scheduler.system("display-timer");
            opened.push(scheduler);
            DisplayController display = DisplayController.start(new PngDisplay(
                    config.dataDir().resolve("display.png"), new PanelSpec(320, 240, true), PNG_MIN_INTERVAL_MILLIS,
                    scheduler));
            opened.push(display);
            sinks.add(display);

            MqttPublisher mqtt = MqttPublisher.start(config.mqtt(),
                    new DeviceInfo(VersionCommand.softwareVersion(), model.name(), model.version(), config.digest()),
                    operator);
            opened.push(mqtt);
            sinks.add(mqtt);
            pollLink(scheduler, display, mqtt);

            SampleJournal journal = new SampleJournal(config.dataDir().resolve("journal"));
            RecordStore store = new RecordStore(config.store(), clock);
            sinks.add(new RecordingListener(store, journal, new ReportBuilder(config.flags()),
                    new org.hematovision.report.DeviceInfo(config.mqtt().deviceId(), VersionCommand.softwareVersion(),
                            model.name(), model.version()), clock, stored -> { }));

            Sinks all = new Sinks(sinks);
            SampleManager samples = new SampleManager(config.sample(), journal, model.labels(),
                    model.excludedLabels(), all, clock);

            FrameSource source = sourceOverride != null ? sourceOverride
                    : FrameSources.open(config.source(), config.capture());
            opened.push(source);
            Logger.info("source: {}", source.description());
            pipeline = new Pipeline(source, LaplacianFieldGate.forSource(source, config.gate()),
                    new ClassicalSegmenter(config.segment()), classifier, clock);
            loop = new RunLoop(pipeline, samples, operator, all, limits, console, heartbeat);
            ok = true;
        } finally {
            if (!ok) {
                close();
            }
        }
    }

    /**
     * Opens everything the configuration names. A missing model, a taken port or an unreadable
     * source fails here with a message naming it, and nothing stays open.
     */
    public static Appliance start(AppConfig config, RunLimits limits, Consumer<String> console, Runnable heartbeat)
            throws IOException, CaptureException {
        return new Appliance(config, null, limits, console, heartbeat, Clock.systemUTC());
    }

    /** As {@link #start}, reading frames from {@code source} (owned and closed by the appliance). */
    public static Appliance start(AppConfig config, FrameSource source, RunLimits limits, Consumer<String> console)
            throws IOException, CaptureException {
        return new Appliance(config, source, limits, console, () -> { }, Clock.systemUTC());
    }

    private static void pollLink(Scheduler scheduler, DisplayController display, MqttPublisher mqtt) {
        scheduler.schedule(LINK_POLL_MILLIS, () -> {
            try {
                display.link(new LinkStatus(mqtt.connected(), mqtt.pendingCount()));
            } catch (RuntimeException e) {
                Logger.debug(e, "link status for the display");
            }
            pollLink(scheduler, display, mqtt);
        });
    }

    /** Buttons, MQTT commands and Ctrl-C go here. */
    public OperatorRequests operator() {
        return operator;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    /** Runs until a limit, the end of the source, or a shutdown request. */
    public RunLoop.Summary run() {
        return loop.run();
    }

    @Override
    public void close() {
        while (!opened.isEmpty()) {
            AutoCloseable c = opened.pop();
            try {
                c.close();
            } catch (Exception e) {
                Logger.warn(e, "closing {}: {}", c.getClass().getSimpleName(), e.getMessage());
            }
        }
    }
}
