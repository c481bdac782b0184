package org.hematovision.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hematovision.board.BoardConfig;
import org.hematovision.capture.CaptureConfig;
import org.hematovision.capture.SourceSpec;
import org.hematovision.classify.InferenceConfig;
import org.hematovision.display.DisplayConfig;
import org.hematovision.field.GateConfig;
import org.hematovision.mqtt.MqttConfig;
import org.hematovision.sample.ConfidenceInterval;
import org.hematovision.sample.FlagConfig;
import org.hematovision.sample.ReferenceInterval;
import org.hematovision.sample.SampleConfig;
import org.hematovision.segment.SegmenterConfig;
import org.hematovision.store.StoreConfig;

/**
 * The whole validated configuration, one record per section, read once at start-up from
 * {@link Settings}. Keys and defaults are listed in {@code docs/configuration.md}; every value is
 * checked here, so a mistake stops the service before it touches the camera.
 *
 * @param dataDir where records, the outbox, the journal and the virtual display live ({@code data.dir})
 * @param source  the frame source ({@code capture.source})
 */
public record AppConfig(Path dataDir, SourceSpec source, CaptureConfig capture, GateConfig gate,
                        SegmenterConfig segment, InferenceConfig inference, SampleConfig sample, FlagConfig flags,
                        StoreConfig store, MqttConfig mqtt, DisplayConfig display, BoardConfig board,
                        String digest) {

    /**
     * The installation directory: set by the launcher ({@code -Dhematovision.home}), else the working
     * directory. Relative defaults (the model bundle, the data directory) are resolved against it, so
     * the service finds its model wherever it is started from.
     */
    public static Path home() {
        String h = System.getProperty("hematovision.home");
        return h == null || h.isBlank() ? Path.of("") : Path.of(h);
    }

    public static final Path DEFAULT_DATA_DIR = Path.of("var");
    public static final String DEFAULT_SOURCE = "synthetic";

    /** The same configuration with another sample target (used by {@code run --cells N}). */
    public AppConfig withTargetCells(int cells) {
        return new AppConfig(dataDir, source, capture, gate, segment, inference, sample.withTargetCells(cells), flags,
                store, mqtt, display, board, digest);
    }

    /** Reads every section, then rejects keys that no section knows. */
    public static AppConfig from(Settings s) {
        Path dataDir = s.path("data.dir", home().resolve(DEFAULT_DATA_DIR));
        SourceSpec source = parseSource(s.string("capture.source", DEFAULT_SOURCE));
        CaptureConfig capture = new CaptureConfig(
                s.integer("capture.width", CaptureConfig.DEFAULT_WIDTH, 16, 8192),
                s.integer("capture.height", CaptureConfig.DEFAULT_HEIGHT, 16, 8192),
                s.integer("capture.fps", CaptureConfig.DEFAULT_FPS, 1, 240),
                CaptureConfig.PixelFormat.parse(s.choice("capture.pixelFormat",
                        CaptureConfig.DEFAULT_PIXEL_FORMAT.name().toLowerCase(java.util.Locale.ROOT),
                        List.of("auto", "mjpeg", "yuyv"))),
                s.longValue("capture.readTimeoutMillis", CaptureConfig.DEFAULT_READ_TIMEOUT_MILLIS, 50, 600_000),
                s.longValue("capture.reconnectMinBackoffMillis", CaptureConfig.DEFAULT_RECONNECT_MIN_BACKOFF_MILLIS,
                        1, 600_000),
                s.longValue("capture.reconnectMaxBackoffMillis", CaptureConfig.DEFAULT_RECONNECT_MAX_BACKOFF_MILLIS,
                        1, 3_600_000));
        GateConfig gate = new GateConfig(
                s.integer("gate.analysisWidth", GateConfig.DEFAULT_ANALYSIS_WIDTH, 32, 4096),
                s.decimal("gate.motionThreshold", GateConfig.DEFAULT_MOTION_THRESHOLD, 0, 255),
                s.integer("gate.settleFrames", GateConfig.DEFAULT_SETTLE_FRAMES, 1, 1000),
                s.decimal("gate.minFocus", GateConfig.DEFAULT_MIN_FOCUS, 0, 1e9),
                s.decimal("gate.minSharpness", GateConfig.DEFAULT_MIN_SHARPNESS, 0, 1e9),
                s.decimal("gate.relativeSharpness", GateConfig.DEFAULT_RELATIVE_SHARPNESS, 0, 1),
                s.integer("gate.focusMemoryFrames", GateConfig.DEFAULT_FOCUS_MEMORY_FRAMES, 1, 100_000),
                s.decimal("gate.minLuma", GateConfig.DEFAULT_MIN_LUMA, 0, 255),
                s.decimal("gate.maxLuma", GateConfig.DEFAULT_MAX_LUMA, 0, 255),
                s.integer("gate.saturationLevel", GateConfig.DEFAULT_SATURATION_LEVEL, 1, 255),
                s.decimal("gate.maxSaturatedFraction", GateConfig.DEFAULT_MAX_SATURATED_FRACTION, 0, 1),
                s.decimal("gate.sameFieldThreshold", GateConfig.DEFAULT_SAME_FIELD_THRESHOLD, 0, 255));
        SegmenterConfig segment = new SegmenterConfig(
                s.decimal("segment.redCellDiameterMicrons", SegmenterConfig.DEFAULT_RED_CELL_DIAMETER_MICRONS, 3, 15),
                s.integer("segment.minRedCellsForScale", SegmenterConfig.DEFAULT_MIN_RED_CELLS_FOR_SCALE, 1, 1000),
                s.decimal("segment.fallbackRedCellFraction", SegmenterConfig.DEFAULT_FALLBACK_RED_CELL_FRACTION, 0.01, 1),
                s.decimal("segment.nucleusContrast", SegmenterConfig.DEFAULT_NUCLEUS_CONTRAST, 0, 255),
                s.decimal("segment.minNucleusArea", SegmenterConfig.DEFAULT_MIN_NUCLEUS_AREA, 0, 100),
                s.decimal("segment.maxNucleusArea", SegmenterConfig.DEFAULT_MAX_NUCLEUS_AREA, 0, 100),
                s.decimal("segment.maxPlateletArea", SegmenterConfig.DEFAULT_MAX_PLATELET_AREA, 0, 10),
                s.decimal("segment.lobeGap", SegmenterConfig.DEFAULT_LOBE_GAP, 0, 10),
                s.decimal("segment.cytoplasmPerNucleus", SegmenterConfig.DEFAULT_CYTOPLASM_PER_NUCLEUS, 0, 10),
                s.decimal("segment.cytoplasmMargin", SegmenterConfig.DEFAULT_CYTOPLASM_MARGIN, 0, 10),
                s.decimal("segment.minVisibleFraction", SegmenterConfig.DEFAULT_MIN_VISIBLE_FRACTION, 0, 1));
        Map<String, String> inferenceKeys = new LinkedHashMap<>(s.section(InferenceConfig.PREFIX));
        inferenceKeys.putIfAbsent(InferenceConfig.KEY_MODEL, home().resolve(InferenceConfig.DEFAULT_MODEL).toString());
        InferenceConfig inference = InferenceConfig.fromMap(inferenceKeys);
        SampleConfig sample = new SampleConfig(
                s.integer("sample.targetCells", SampleConfig.DEFAULT_TARGET_CELLS, 1, SampleConfig.MAX_TARGET_CELLS),
                s.integer("sample.maxFields", SampleConfig.DEFAULT_MAX_FIELDS, 0, SampleConfig.MAX_FIELDS_LIMIT),
                s.integer("sample.maxMinutes", SampleConfig.DEFAULT_MAX_MINUTES, 0, SampleConfig.MAX_MINUTES_LIMIT),
                s.bool("sample.resumeAfterRestart", SampleConfig.DEFAULT_RESUME_AFTER_RESTART));
        FlagConfig flags = flags(s);
        StoreConfig store = new StoreConfig(
                s.path("store.dir", dataDir),
                s.integer("store.retentionDays", StoreConfig.DEFAULT_RETENTION_DAYS, 0, 100 * 365),
                s.longValue("store.maxBytes", StoreConfig.DEFAULT_MAX_BYTES, 1 << 20, Long.MAX_VALUE));
        Map<String, String> mqttKeys = new LinkedHashMap<>(s.section("mqtt."));
        mqttKeys.putIfAbsent("mqtt.outbox.dir", dataDir.resolve("outbox").toString());
        MqttConfig mqtt = MqttConfig.fromProperties(mqttKeys);
        Map<String, String> displayKeys = new LinkedHashMap<>(s.section("display."));
        displayKeys.putIfAbsent(DisplayConfig.PNG_PATH, dataDir.resolve("display.png").toString());
        DisplayConfig display = DisplayConfig.from(displayKeys);
        BoardConfig board = BoardConfig.from(s.section("board."));
        board.requireCompatible(display);
        s.requireAllKnown();
        return new AppConfig(dataDir, source, capture, gate, segment, inference, sample, flags, store, mqtt, display,
                board, s.digest());
    }

    private static SourceSpec parseSource(String value) {
        try {
            return SourceSpec.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("capture.source", e.getMessage());
        }
    }

    private static FlagConfig flags(Settings s) {
        Map<String, ReferenceInterval> intervals = new LinkedHashMap<>();
        for (String label : FlagConfig.NORMAL_TYPES) {
            ReferenceInterval d = FlagConfig.DEFAULT_INTERVALS.get(label);
            intervals.put(label, FlagConfig.interval(label,
                    s.decimal("flags." + label + ".low", d.low(), 0, 100),
                    s.decimal("flags." + label + ".high", d.high(), 0, 100)));
        }
        return new FlagConfig(intervals,
                s.decimal("flags.igMaxPercent", FlagConfig.DEFAULT_IG_MAX_PERCENT, 0, 100),
                s.decimal("flags.nrbcMaxPer100", FlagConfig.DEFAULT_NRBC_MAX_PER_100, 0, 1000),
                s.decimal("flags.reviewMaxPercent", FlagConfig.DEFAULT_REVIEW_MAX_PERCENT, 0, 100),
                s.integer("flags.minCells", FlagConfig.DEFAULT_MIN_CELLS, 1, SampleConfig.MAX_TARGET_CELLS),
                s.decimal("flags.confidence", ConfidenceInterval.DEFAULT_LEVEL, 0.90, 0.99));
    }
}
