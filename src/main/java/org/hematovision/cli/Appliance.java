package org.hematovision.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.Optional;
import org.hematovision.board.Acknowledgeable;
import org.hematovision.board.Board;
import org.hematovision.board.BoardContexts;
import org.hematovision.board.Scheduler;
import org.hematovision.capture.CaptureException;
import org.hematovision.capture.FrameSource;
import org.hematovision.capture.FrameSources;
import org.hematovision.classify.CellClassifier;
import org.hematovision.classify.ModelMetadata;
import org.hematovision.classify.TfCellClassifier;
import org.hematovision.image.BgrImage;
import org.hematovision.memory.LoadOnlyPages;
import org.hematovision.memory.NativeHeap;
import org.hematovision.config.AppConfig;
import org.hematovision.config.ConfigException;
import org.hematovision.display.DisplayController;
import org.hematovision.display.LinkStatus;
import org.hematovision.display.Display;
import org.hematovision.display.Displays;
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
import org.hematovision.segment.ScaleTracker;
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

    private static final com.fasterxml.jackson.databind.ObjectMapper REPORT_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private final OperatorRequests operator = new OperatorRequests();
    private final RunLoop loop;
    private final Pipeline pipeline;
    private final CellClassifier classifier;
    private final Sinks sinks;

    private Appliance(AppConfig config, FrameSource sourceOverride, RunLimits limits, Consumer<String> console,
                      Runnable heartbeat, Clock clock) throws IOException, CaptureException {
        boolean ok = false;
        try {
            checkDataDir(config.dataDir());
            // Set apart from data.dir, a directory that cannot even be created is a typo or a path the
            // service may not write (systemd ReadWritePaths), not a full disk: say which key.
            checkOwnDir("store.dir", config.store().dir(), config.dataDir());
            checkOwnDir("mqtt.outbox.dir", config.mqtt().outboxDir(), config.dataDir());
            TfCellClassifier tf = TfCellClassifier.open(config.inference());
            opened.push(tf);
            classifier = tf;
            ModelMetadata model = tf.metadata();
            releaseLoadTimeMemory(tf);

            List<SampleListener> sinks = new ArrayList<>();
            // Pi4J starts only if a hardware panel or the board is configured; closed after both.
            BoardContexts.Lazy pi4j = BoardContexts.lazyHardware();
            opened.push(pi4j);
            // Two timer threads: a frame write that stalls (a slow SD card under the PNG file, a long SPI
            // transfer) or the link poll must not delay the buttons' long-press timers and the LED patterns.
            Scheduler.SystemScheduler displayTimer = Scheduler.system("display-timer");
            opened.push(displayTimer);
            Scheduler.SystemScheduler scheduler = Scheduler.system("board-timer");
            opened.push(scheduler);
            Optional<Display> panel = Displays.openOrVirtual(config.display(), pi4j, displayTimer);
            DisplayController display = panel.map(DisplayController::start).orElse(null);
            if (display != null) {
                opened.push(display);
                sinks.add(display);
            }
            Optional<Board> board = Board.tryOpen(config.board(), pi4j, operator, scheduler,
                    display == null ? new Acknowledgeable[0] : new Acknowledgeable[] {display});
            board.ifPresent(b -> {
                opened.push(b);
                sinks.add(b.outputs());
            });

            MqttPublisher mqtt = MqttPublisher.start(config.mqtt(),
                    new DeviceInfo(VersionCommand.softwareVersion(), model.name(), model.version(), config.digest()),
                    operator);
            opened.push(mqtt);
            sinks.add(mqtt);
            if (display != null) {
                pollLink(displayTimer, display, mqtt);
            }

            SampleJournal journal = new SampleJournal(config.store().journalDir());
            RecordStore store = new RecordStore(config.store(), clock);
            // Start-up integrity check: damaged records are reported, not repaired; retention then treats
            // them like any other record (by age and total size).
            store.verify();
            store.applyRetention();
            RecordingListener recording = new RecordingListener(store, journal, new ReportBuilder(config.flags()),
                    new org.hematovision.report.DeviceInfo(config.mqtt().deviceId(), VersionCommand.softwareVersion(),
                            model.name(), model.version()), clock, stored -> publishReport(mqtt, stored));
            opened.push(recording);
            recording.removeLeftoverStaging();
            sinks.add(recording);

            Sinks all = new Sinks(sinks);
            this.sinks = all;
            SampleManager samples = new SampleManager(config.sample(), journal, model.labels(),
                    model.excludedLabels(), all, clock);

            FrameSource source = sourceOverride != null ? sourceOverride
                    : FrameSources.open(config.source(), config.capture());
            opened.push(source);
            Logger.info("source: {}", source.description());
            pipeline = new Pipeline(source, LaplacianFieldGate.forSource(source, config.gate()),
                    new ClassicalSegmenter(config.segment()), classifier, clock,
                    ScaleTracker.of(config.segment()));
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

    /**
     * A data directory that does not exist and cannot be made is a configuration error (a typo, an
     * unmounted card): say so, naming the key. One that exists but is full or read-only is not: the
     * service starts, counts in memory, shows it, and saves everything once writes succeed.
     */
    private static void checkDataDir(Path dir) {
        createOrRefuse("data.dir", dir);
        if (!Files.isWritable(dir)) {
            Logger.error("data.dir {} is not writable now (read-only?): counting goes on in memory and is saved "
                    + "once it is", dir);
        }
    }

    private static void checkOwnDir(String key, Path dir, Path dataDir) {
        if (!dir.toAbsolutePath().normalize().startsWith(dataDir.toAbsolutePath().normalize())) {
            createOrRefuse(key, dir);
        }
    }

    private static void createOrRefuse(String key, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            if (!Files.isDirectory(dir)) {
                throw new ConfigException(key, dir + " does not exist and cannot be created ("
                        + e.getClass().getSimpleName() + ": " + e.getMessage() + "); create it, or point " + key
                        + " at a writable directory");
            }
        }
    }

    private static void pollLink(Scheduler scheduler, DisplayController display, MqttPublisher mqtt) {
        scheduler.schedule(LINK_POLL_MILLIS, () -> {
            try {
                display.link(new LinkStatus(mqtt.connected(), mqtt.pendingCount()));
            } catch (RuntimeException e) {
                Logger.debug(e, "link status for the display");
            }
            if (display != null) {
                pollLink(scheduler, display, mqtt);
            }
        });
    }

    /** The dashboard gets the stored record (intervals and flags) of every closed sample. */
    private static void publishReport(MqttPublisher mqtt, RecordingListener.Stored stored) {
        Path file = stored.record().dir().resolve("report.json");
        try {
            mqtt.report(stored.record().sampleId(), REPORT_JSON.readTree(file.toFile()));
        } catch (IOException e) {
            Logger.error("sample {}: stored report {} could not be read for MQTT: {}", stored.record().sampleId(),
                    file, e.getMessage());
        }
    }

    /** Buttons, MQTT commands and Ctrl-C go here. */
    public OperatorRequests operator() {
        return operator;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    public Sinks sinks() {
        return sinks;
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

    /**
     * One blank crop through the network (its first run builds TensorFlow's kernels, and a broken
     * model fails here rather than on the first cell), then the pages that only loading needed are
     * given back: most of the 200 MB of TensorFlow's library read at load, and malloc's free pages.
     */
    private static void releaseLoadTimeMemory(TfCellClassifier tf) {
        ModelMetadata m = tf.metadata();
        tf.classify(List.of(new BgrImage(m.inputWidth(), m.inputHeight(), new byte[m.inputWidth() * m.inputHeight() * 3])));
        LoadOnlyPages.Released r = LoadOnlyPages.release("libtensorflow");
        new NativeHeap().trim();
        Logger.info("released {} MB of TensorFlow library pages read only while loading ({} mappings)",
                r.releasedBytes() >> 20, r.mappings());
    }

}
