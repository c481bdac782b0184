package org.hematovision.classify;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the {@link ModelMetadata} of a new bundle with the format-1 defaults (224×224 RGB,
 * mean/std 0.5, temperature 1, no class offsets, review below 0.6, no entropy limit); {@link ModelBundleWriter} fills in the checksums.
 */
public final class ModelMetadataBuilder {

    public static final int DEFAULT_INPUT_SIZE = 224;
    public static final float DEFAULT_MEAN = 0.5f;
    public static final float DEFAULT_STD = 0.5f;
    public static final double DEFAULT_MIN_PROBABILITY = 0.6;

    private final String name;
    private final String version;
    private final List<String> labels;
    private int width = DEFAULT_INPUT_SIZE;
    private int height = DEFAULT_INPUT_SIZE;
    private float[] mean = {DEFAULT_MEAN, DEFAULT_MEAN, DEFAULT_MEAN};
    private float[] std = {DEFAULT_STD, DEFAULT_STD, DEFAULT_STD};
    private Set<String> abnormal = Set.of();
    private Set<String> excluded = Set.of();
    private double minProbability = DEFAULT_MIN_PROBABILITY;
    private Double maxEntropy;
    private double temperature = 1.0;
    private Map<String, Double> classBias = Map.of();
    private final Map<String, Object> provenance = new LinkedHashMap<>();
    private final Map<String, Object> metrics = new LinkedHashMap<>();

    public ModelMetadataBuilder(String name, String version, List<String> labels) {
        this.name = name;
        this.version = version;
        this.labels = List.copyOf(labels);
    }

    public ModelMetadataBuilder inputSize(int width, int height) {
        this.width = width;
        this.height = height;
        return this;
    }

    /** Per-channel R,G,B normalization: input = (pixel/255 - mean) / std. */
    public ModelMetadataBuilder normalization(float[] mean, float[] std) {
        this.mean = mean.clone();
        this.std = std.clone();
        return this;
    }

    public ModelMetadataBuilder abnormalLabels(String... labels) {
        this.abnormal = new LinkedHashSet<>(List.of(labels));
        return this;
    }

    public ModelMetadataBuilder excludedLabels(String... labels) {
        this.excluded = new LinkedHashSet<>(List.of(labels));
        return this;
    }

    public ModelMetadataBuilder minProbability(double p) {
        this.minProbability = p;
        return this;
    }

    /** Normalized entropy (0..1) above which a cell goes to review; null disables the check. */
    public ModelMetadataBuilder maxEntropy(Double e) {
        this.maxEntropy = e;
        return this;
    }

    /** Softmax temperature (> 0) applied to the probabilities before the review rules; 1 = none. */
    public ModelMetadataBuilder temperature(double t) {
        this.temperature = t;
        return this;
    }

    /** Per-label logit offsets applied after the temperature, in label order; null or all zero = none. */
    public ModelMetadataBuilder classBias(double[] bias) {
        if (bias == null) {
            this.classBias = Map.of();
            return this;
        }
        if (bias.length != labels.size()) {
            throw new IllegalArgumentException(bias.length + " class offsets for " + labels.size() + " labels");
        }
        Map<String, Double> m = new LinkedHashMap<>();
        for (int c = 0; c < bias.length; c++) {
            m.put(labels.get(c), bias[c]);
        }
        this.classBias = Collections.unmodifiableMap(m);
        return this;
    }

    public ModelMetadataBuilder provenance(String key, Object value) {
        provenance.put(key, value);
        return this;
    }

    public ModelMetadataBuilder metric(String key, Object value) {
        metrics.put(key, value);
        return this;
    }

    public ModelMetadata build() {
        return new ModelMetadata(ModelJson.FORMAT, name, version, labels, width, height, mean.clone(), std.clone(),
                Collections.unmodifiableSet(new LinkedHashSet<>(abnormal)),
                Collections.unmodifiableSet(new LinkedHashSet<>(excluded)), minProbability, maxEntropy, temperature,
                classBias, Map.of(),
                Collections.unmodifiableMap(new LinkedHashMap<>(provenance)),
                Collections.unmodifiableMap(new LinkedHashMap<>(metrics)));
    }
}
