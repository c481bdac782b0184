package org.hematovision.train;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Settings of one training run, validated once.
 *
 * @param variants     augmented copies of each training image whose backbone activations are cached
 * @param headEpochs   epochs of the new head alone on the frozen backbone
 * @param epochs       fine-tuning epochs of the last blocks plus head (over all cached variants)
 * @param cutBlock     first MobileNetV2 block ({@code expanded_conv_N}) that is fine-tuned; earlier ones stay frozen
 * @param weights      which fine-tuned weights the bundle gets
 * @param threads      TensorFlow intra- and inter-op threads of every training session; 0 lets TensorFlow
 *                     choose (all cores). With 1, a run repeats bit for bit: multi-threaded CPU kernels
 *                     add partial sums in whatever order the threads finish, so two runs with the same
 *                     seed drift apart after the first steps.
 * @param classWeights loss weight per PBC label (absent labels weigh 1): the cross-entropy of a training
 *                     cell is multiplied by its label's weight, which moves the decision boundary towards
 *                     that class's neighbours. Empty = the plain mean loss, the same graph as before
 *                     weights existed, so older runs still repeat bit for bit.
 * @param classMargins additive logit margin per PBC label (absent labels have none; the key {@code all} sets
 *                     every label): in the training loss only, a cell's true-class logit is lowered by its
 *                     label's margin, so the loss keeps pushing until that class wins by the margin. It acts
 *                     on the cells near a boundary, where a loss weight scales every cell of the class.
 *                     Inference uses the plain logits. Empty = the graph as before margins existed.
 */
public record TrainConfig(Path data, Path pretrained, Path out, Path workDir, int inputSize, int variants,
                          int headEpochs, int epochs, int batch, float learningRate, long seed, int cutBlock,
                          Weights weights, boolean resume, int threads,
                          Map<String, Double> classWeights, Map<String, Double> classMargins) {

    /** Which fine-tuned weights the run keeps. */
    public enum Weights {
        /** The single epoch with the best validation balanced accuracy (the default). */
        BEST,
        /** The mean of the weights after each epoch at a decayed learning rate (the schedule's second half). */
        AVERAGE
    }

    public static final int DEFAULT_INPUT_SIZE = 224;
    public static final int DEFAULT_VARIANTS = 6;
    public static final int DEFAULT_HEAD_EPOCHS = 15;
    public static final int DEFAULT_EPOCHS = 6;
    public static final int DEFAULT_BATCH = 32;
    public static final float DEFAULT_LEARNING_RATE = 2e-4f;
    public static final long DEFAULT_SEED = 20260524L;
    public static final int DEFAULT_CUT_BLOCK = 11;
    public static final int MAX_THREADS = 64;
    public static final double MAX_CLASS_WEIGHT = 10;
    public static final double MAX_CLASS_MARGIN = 5;
    /** The {@code --margin} key that sets every label's margin; a label named too overrides it. */
    public static final String ALL_LABELS = "all";

    /** A run without logit margins (every run before margins existed). */
    public TrainConfig(Path data, Path pretrained, Path out, Path workDir, int inputSize, int variants,
                       int headEpochs, int epochs, int batch, float learningRate, long seed, int cutBlock,
                       Weights weights, boolean resume, int threads, Map<String, Double> classWeights) {
        this(data, pretrained, out, workDir, inputSize, variants, headEpochs, epochs, batch, learningRate, seed, cutBlock,
                weights, resume, threads, classWeights, Map.of());
    }

    public TrainConfig {
        if (inputSize < 96 || inputSize > 224 || inputSize % 32 != 0) {
            throw new IllegalArgumentException("input-size must be a multiple of 32 in 96..224, got " + inputSize);
        }
        if (variants < 1 || variants > 20) {
            throw new IllegalArgumentException("variants must be 1..20, got " + variants);
        }
        if (headEpochs < 0 || epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got head " + headEpochs + ", fine-tune " + epochs);
        }
        if (batch < 1 || batch > 512) {
            throw new IllegalArgumentException("batch must be 1..512, got " + batch);
        }
        if (!(learningRate > 0 && learningRate < 1)) {
            throw new IllegalArgumentException("learning-rate must be in (0,1), got " + learningRate);
        }
        if (cutBlock < 1 || cutBlock > 16) {
            throw new IllegalArgumentException("cut-block must be 1..16, got " + cutBlock);
        }
        if (threads < 0 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be 0.." + MAX_THREADS + " (0 = TensorFlow's choice), got " + threads);
        }
        if (classWeights == null) {
            classWeights = Map.of();
        }
        for (Map.Entry<String, Double> e : classWeights.entrySet()) {
            if (e.getKey() == null || !PbcManifest.LABELS.contains(e.getKey())) {
                throw new IllegalArgumentException("class-weight names \"" + e.getKey() + "\", which is not a PBC label " + PbcManifest.LABELS);
            }
            double w = e.getValue() == null ? Double.NaN : e.getValue();
            if (!(w > 0 && w <= MAX_CLASS_WEIGHT)) {
                throw new IllegalArgumentException("class-weight " + e.getKey() + " must be in (0, " + MAX_CLASS_WEIGHT + "], got " + e.getValue());
            }
        }
        classWeights = Map.copyOf(classWeights);
        if (classMargins == null) {
            classMargins = Map.of();
        }
        Map<String, Double> margins = new TreeMap<>();
        for (Map.Entry<String, Double> e : classMargins.entrySet()) {
            if (e.getKey() == null || !(PbcManifest.LABELS.contains(e.getKey()) || ALL_LABELS.equals(e.getKey()))) {
                throw new IllegalArgumentException("margin names \"" + e.getKey() + "\", which is neither a PBC label "
                        + PbcManifest.LABELS + " nor \"" + ALL_LABELS + "\"");
            }
            double m = e.getValue() == null ? Double.NaN : e.getValue();
            if (!(m >= 0 && m <= MAX_CLASS_MARGIN)) {
                throw new IllegalArgumentException("margin " + e.getKey() + " must be in [0, " + MAX_CLASS_MARGIN + "], got " + e.getValue());
            }
            margins.put(e.getKey(), m);
        }
        classMargins = Map.copyOf(margins);
    }

    /** The training-loss logit margin of each label in {@link PbcManifest#LABELS} order, or null when all are 0. */
    public float[] lossMargins() {
        float[] m = new float[PbcManifest.LABELS.size()];
        boolean any = false;
        for (int c = 0; c < m.length; c++) {
            Double v = classMargins.getOrDefault(PbcManifest.LABELS.get(c), classMargins.get(ALL_LABELS));
            m[c] = v == null ? 0f : v.floatValue();
            any |= m[c] != 0f;
        }
        return any ? m : null;
    }

    /**
     * The margins as command-line options ({@code " --margin ig=1.0"}), key order, empty when none is set; also
     * part of the checkpoint names, so runs with and without margins never share a head.
     */
    public String classMarginOptions() {
        if (lossMargins() == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(classMargins).forEach((label, m) ->
                sb.append(" --margin ").append(label).append('=').append(String.format(Locale.ROOT, "%s", m)));
        return sb.toString();
    }

    /** The loss weight of each label in {@link PbcManifest#LABELS} order, or null when every weight is 1. */
    public float[] lossWeights() {
        if (classWeights.values().stream().allMatch(w -> w == 1.0)) {
            return null;
        }
        float[] w = new float[PbcManifest.LABELS.size()];
        for (int c = 0; c < w.length; c++) {
            w[c] = classWeights.getOrDefault(PbcManifest.LABELS.get(c), 1.0).floatValue();
        }
        return w;
    }

    /**
     * The class weights as command-line options ({@code " --class-weight ig=2.0"}), label order, empty when
     * none differ from 1; also part of the checkpoint names, so weighted and plain runs never share a head.
     */
    public String classWeightOptions() {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(classWeights).forEach((label, w) -> {
            if (w != 1.0) {
                sb.append(" --class-weight ").append(label).append('=').append(String.format(Locale.ROOT, "%s", w));
            }
        });
        return sb.toString();
    }
}
