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

    /** The same configuration with {@code sample.maxFields} replaced and no {@code sample.maxMinutes}. */
    public AppConfig withFieldLimitOnly(int fields) {
        return new AppConfig(dataDir, source, capture, gate, segment, inference, sample.withFieldLimitOnly(fields), flags,
                store, mqtt, display, board, digest);
    }

    /**
     * {@code store.maxBytes}: 0 or at least 1 MiB. A small value (megabytes meant, bytes written) would
     * make retention delete every stored record but the newest at the next start.
     */
    private static long storeMaxBytes(Settings s) {
        long v = s.longValue("store.maxBytes", StoreConfig.DEFAULT_MAX_BYTES, 0, Long.MAX_VALUE);
        if (v > 0 && v < StoreConfig.MIN_MAX_BYTES) {
            throw new ConfigException("store.maxBytes", v + " bytes is below 1 MiB and retention would delete nearly "
                    + "every stored record (allowed: 0 = no limit, or at least " + StoreConfig.MIN_MAX_BYTES
                    + "; the value is in bytes, e.g. 4294967296 for 4 GiB)");
        }
        return v;
    }

    /** Reads every section, then rejects keys that no section knows. */
    public static AppConfig from(Settings s) {
        Path dataDir = s.path("data.dir", home().resolve(DEFAULT_DATA_DIR));
        SourceSpec source = parseSource(s.string("capture.source", DEFAULT_SOURCE));
        CaptureConfig capture = new CaptureConfig(
                s.integer("capture.width", CaptureConfig.DEFAULT_WIDTH),
                s.integer("capture.height", CaptureConfig.DEFAULT_HEIGHT),
                s.integer("capture.fps", CaptureConfig.DEFAULT_FPS),
                CaptureConfig.PixelFormat.parse(s.choice("capture.pixelFormat",
                        CaptureConfig.DEFAULT_PIXEL_FORMAT.name().toLowerCase(java.util.Locale.ROOT),
                        List.of("auto", "mjpeg", "yuyv"))),
                s.longValue("capture.readTimeoutMillis", CaptureConfig.DEFAULT_READ_TIMEOUT_MILLIS),
                s.longValue("capture.reconnectMinBackoffMillis", CaptureConfig.DEFAULT_RECONNECT_MIN_BACKOFF_MILLIS),
                s.longValue("capture.reconnectMaxBackoffMillis", CaptureConfig.DEFAULT_RECONNECT_MAX_BACKOFF_MILLIS));
        GateConfig gate = new GateConfig(
                s.integer("gate.analysisWidth", GateConfig.DEFAULT_ANALYSIS_WIDTH),
                s.decimal("gate.motionThreshold", GateConfig.DEFAULT_MOTION_THRESHOLD),
                s.integer("gate.settleFrames", GateConfig.DEFAULT_SETTLE_FRAMES),
                s.decimal("gate.minFocus", GateConfig.DEFAULT_MIN_FOCUS),
                s.decimal("gate.minSharpness", GateConfig.DEFAULT_MIN_SHARPNESS),
                s.decimal("gate.relativeSharpness", GateConfig.DEFAULT_RELATIVE_SHARPNESS),
                s.integer("gate.focusMemoryFrames", GateConfig.DEFAULT_FOCUS_MEMORY_FRAMES),
                s.decimal("gate.minLuma", GateConfig.DEFAULT_MIN_LUMA),
                s.decimal("gate.maxLuma", GateConfig.DEFAULT_MAX_LUMA),
                s.integer("gate.saturationLevel", GateConfig.DEFAULT_SATURATION_LEVEL),
                s.decimal("gate.maxSaturatedFraction", GateConfig.DEFAULT_MAX_SATURATED_FRACTION),
                s.decimal("gate.sameFieldThreshold", GateConfig.DEFAULT_SAME_FIELD_THRESHOLD));
        SegmenterConfig segment = new SegmenterConfig(
                s.decimal("segment.redCellDiameterMicrons", SegmenterConfig.DEFAULT_RED_CELL_DIAMETER_MICRONS),
                s.integer("segment.minRedCellsForScale", SegmenterConfig.DEFAULT_MIN_RED_CELLS_FOR_SCALE),
                s.decimal("segment.fallbackRedCellFraction", SegmenterConfig.DEFAULT_FALLBACK_RED_CELL_FRACTION),
                s.decimal("segment.nucleusContrast", SegmenterConfig.DEFAULT_NUCLEUS_CONTRAST),
                s.decimal("segment.minNucleusArea", SegmenterConfig.DEFAULT_MIN_NUCLEUS_AREA),
                s.decimal("segment.maxNucleusArea", SegmenterConfig.DEFAULT_MAX_NUCLEUS_AREA),
                s.decimal("segment.maxPlateletArea", SegmenterConfig.DEFAULT_MAX_PLATELET_AREA),
                s.decimal("segment.lobeGap", SegmenterConfig.DEFAULT_LOBE_GAP),
                s.decimal("segment.maxNucleusExtent", SegmenterConfig.DEFAULT_MAX_NUCLEUS_EXTENT),
                s.decimal("segment.cytoplasmBlueness", SegmenterConfig.DEFAULT_CYTOPLASM_BLUENESS),
                s.decimal("segment.cytoplasmReach", SegmenterConfig.DEFAULT_CYTOPLASM_REACH),
                s.decimal("segment.cytoplasmMargin", SegmenterConfig.DEFAULT_CYTOPLASM_MARGIN),
                s.decimal("segment.minVisibleFraction", SegmenterConfig.DEFAULT_MIN_VISIBLE_FRACTION),
                s.integer("segment.slideScaleMinFields", SegmenterConfig.DEFAULT_SLIDE_SCALE_MIN_FIELDS),
                s.decimal("segment.slideScaleTolerance", SegmenterConfig.DEFAULT_SLIDE_SCALE_TOLERANCE));
        Map<String, String> inferenceKeys = new LinkedHashMap<>(s.section(InferenceConfig.PREFIX));
        inferenceKeys.putIfAbsent(InferenceConfig.KEY_MODEL, home().resolve(InferenceConfig.DEFAULT_MODEL).toString());
        InferenceConfig inference = InferenceConfig.fromMap(inferenceKeys);
        SampleConfig sample = new SampleConfig(
                s.integer("sample.targetCells", SampleConfig.DEFAULT_TARGET_CELLS),
                s.integer("sample.maxFields", SampleConfig.DEFAULT_MAX_FIELDS),
                s.integer("sample.maxMinutes", SampleConfig.DEFAULT_MAX_MINUTES),
                s.bool("sample.resumeAfterRestart", SampleConfig.DEFAULT_RESUME_AFTER_RESTART));
        FlagConfig flags = flags(s);
        StoreConfig store = new StoreConfig(
                s.path("store.dir", dataDir),
                s.integer("store.retentionDays", StoreConfig.DEFAULT_RETENTION_DAYS),
                storeMaxBytes(s));
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
                    s.decimal("flags." + label + ".low", d.low()),
                    s.decimal("flags." + label + ".high", d.high())));
        }
        return new FlagConfig(intervals,
                s.decimal("flags.igMaxPercent", FlagConfig.DEFAULT_IG_MAX_PERCENT),
                s.decimal("flags.nrbcMaxPer100", FlagConfig.DEFAULT_NRBC_MAX_PER_100),
                s.decimal("flags.reviewMaxPercent", FlagConfig.DEFAULT_REVIEW_MAX_PERCENT),
                s.integer("flags.minCells", FlagConfig.DEFAULT_MIN_CELLS),
                s.decimal("flags.confidence", ConfidenceInterval.DEFAULT_LEVEL));
    }
}
