package org.hematovision.sample;

import java.util.LinkedHashMap;
import java.util.Map;
import org.hematovision.config.ConfigException;

/**
 * The limits flags are raised against (keys {@code flags.*}). A flag is raised only when the whole
 * confidence interval of the measured value lies beyond the limit.
 *
 * @param intervals        adult reference intervals in % of leukocytes, per label ({@code flags.LABEL.low},
 *                         {@code flags.LABEL.high}); labels: neutrophil, lymphocyte, monocyte, eosinophil, basophil
 * @param igMaxPercent     {@code flags.igMaxPercent}: immature granulocytes above this % raise "left shift"
 * @param nrbcMaxPer100    {@code flags.nrbcMaxPer100}: nucleated red cells per 100 leukocytes above this raise "nRBC"
 * @param reviewMaxPercent {@code flags.reviewMaxPercent}: unidentified cells above this % raise "high review rate"
 * @param minCells         {@code flags.minCells}: fewer leukocytes than this raise "too few cells"
 * @param confidence       {@code flags.confidence}: confidence level of the intervals (0.95 as in Rümke's table)
 */
public record FlagConfig(Map<String, ReferenceInterval> intervals, double igMaxPercent, double nrbcMaxPer100,
                         double reviewMaxPercent, int minCells, double confidence) {

    /** The five normal leukocyte types, in report order. */
    public static final java.util.List<String> NORMAL_TYPES =
            java.util.List.of("neutrophil", "lymphocyte", "monocyte", "eosinophil", "basophil");

    /**
     * Adult relative reference intervals (% of leukocytes) as tabulated in Dacie and Lewis, Practical
     * Haematology (Bain, Bates, Laffan, 12th ed., table "Normal values"): neutrophils 40–80, lymphocytes
     * 20–40, monocytes 2–10, eosinophils 1–6, basophils &lt;1–2. Each laboratory should set its own.
     */
    public static final Map<String, ReferenceInterval> DEFAULT_INTERVALS = defaultIntervals();
    /** Immature granulocytes are absent from a normal adult manual differential: any is a left shift. */
    public static final double DEFAULT_IG_MAX_PERCENT = 0;
    /** Nucleated red cells are absent from normal adult blood. */
    public static final double DEFAULT_NRBC_MAX_PER_100 = 0;
    /** Engineering default: more than 1 cell in 10 unidentified points at smear or stain quality. */
    public static final double DEFAULT_REVIEW_MAX_PERCENT = 10;
    /** The routine 100-cell differential; below it the intervals are too wide to act on. */
    public static final int DEFAULT_MIN_CELLS = 100;

    public FlagConfig {
        for (String label : intervals.keySet()) {
            if (!NORMAL_TYPES.contains(label)) {
                throw new ConfigException("flags." + label, "unknown cell type (allowed: " + String.join(", ", NORMAL_TYPES) + ")");
            }
        }
        for (String label : NORMAL_TYPES) {
            ReferenceInterval ri = intervals.get(label);
            if (ri == null) {
                throw new ConfigException("flags." + label + ".low", "missing reference interval");
            }
        }
        intervals = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(intervals));
        ConfigException.requireRange("flags.igMaxPercent", igMaxPercent, 0, 100);
        ConfigException.requireRange("flags.nrbcMaxPer100", nrbcMaxPer100, 0, 1000);
        ConfigException.requireRange("flags.reviewMaxPercent", reviewMaxPercent, 0, 100);
        ConfigException.requireRange("flags.minCells", minCells, 1, SampleConfig.MAX_TARGET_CELLS);
        if (!(confidence == 0.90 || confidence == 0.95 || confidence == 0.99)) {
            throw new ConfigException("flags.confidence", confidence + " is not allowed (allowed: 0.90, 0.95, 0.99)");
        }
    }

    public static FlagConfig defaults() {
        return new FlagConfig(DEFAULT_INTERVALS, DEFAULT_IG_MAX_PERCENT, DEFAULT_NRBC_MAX_PER_100,
                DEFAULT_REVIEW_MAX_PERCENT, DEFAULT_MIN_CELLS, ConfidenceInterval.DEFAULT_LEVEL);
    }

    /**
     * Builds a reference interval from its two keys, naming the key that is wrong.
     */
    public static ReferenceInterval interval(String label, double low, double high) {
        ConfigException.requireRange("flags." + label + ".low", low, 0, 100);
        ConfigException.requireRange("flags." + label + ".high", high, 0, 100);
        if (low > high) {
            throw new ConfigException("flags." + label + ".low", low + " is above flags." + label + ".high " + high
                    + " (allowed: low <= high)");
        }
        return new ReferenceInterval(low, high);
    }

    private static Map<String, ReferenceInterval> defaultIntervals() {
        Map<String, ReferenceInterval> m = new LinkedHashMap<>();
        m.put("neutrophil", new ReferenceInterval(40, 80));
        m.put("lymphocyte", new ReferenceInterval(20, 40));
        m.put("monocyte", new ReferenceInterval(2, 10));
        m.put("eosinophil", new ReferenceInterval(1, 6));
        m.put("basophil", new ReferenceInterval(0, 2));
        return java.util.Collections.unmodifiableMap(m);
    }
}
