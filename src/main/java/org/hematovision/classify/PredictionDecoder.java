package org.hematovision.classify;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the network's probability rows into {@link Prediction}s with the bundle's rules. The row is
 * first calibrated with {@code review.temperature} and {@code review.classBias}, softmax(log p / T + b)
 * (skipped when T = 1 and there is no offset); that calibrated row is what the
 * prediction carries and what the review rules see: the top label; review when the top probability
 * is below {@code review.minProbability} or, when the bundle sets {@code review.maxEntropy}, the
 * normalized entropy exceeds it; abnormal when the (non-review) label is one of {@code abnormalLabels}.
 */
public final class PredictionDecoder {

    /** Tolerance on the sum of a row: float softmax sums are within ~1e-6 of 1; logits are far off. */
    static final double SUM_TOLERANCE = 1e-3;

    private final List<String> labels;
    private final ModelMetadata metadata;
    private final double temperature;
    /** Null when every offset is 0, so such bundles decode exactly as before offsets existed. */
    private final double[] bias;

    public PredictionDecoder(ModelMetadata metadata) {
        this.metadata = metadata;
        this.labels = List.copyOf(metadata.labels());
        this.temperature = metadata.temperature();
        this.bias = isZero(metadata.classBiasVector()) ? null : metadata.classBiasVector();
    }

    public List<Prediction> decode(float[][] rows) {
        List<Prediction> out = new ArrayList<>(rows.length);
        for (int i = 0; i < rows.length; i++) {
            out.add(decode(rows[i], i));
        }
        return out;
    }

    /**
     * @throws IllegalStateException when the row is not a probability distribution over the labels
     *                               (wrong length, NaN, or the model outputs logits, not softmax)
     */
    public Prediction decode(float[] row) {
        return decode(row, 0);
    }

    private Prediction decode(float[] row, int index) {
        if (row.length != labels.size()) {
            throw new IllegalStateException("model output row " + index + " has " + row.length + " values for "
                    + labels.size() + " labels");
        }
        double sum = 0;
        for (float p : row) {
            if (!(p >= -1e-6f && p <= 1 + 1e-6f)) {
                throw new IllegalStateException("model output row " + index + " has value " + p
                        + " outside 0..1: the SavedModel must end in softmax");
            }
            sum += p;
        }
        if (Math.abs(sum - 1) > SUM_TOLERANCE) {
            throw new IllegalStateException("model output row " + index + " sums to " + sum
                    + ", not 1: the SavedModel must end in softmax");
        }
        // skipped at identity so that bundles without a calibration decode exactly as before
        float[] p = temperature == 1.0 && bias == null ? row : calibrated(row, temperature, bias);
        int top = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[top]) {
                top = c;
            }
        }
        String topLabel = labels.get(top);
        boolean review = p[top] < metadata.reviewThreshold()
                || (metadata.maxEntropy() != null && normalizedEntropy(p) > metadata.maxEntropy());
        String label = review ? Prediction.REVIEW : topLabel;
        boolean abnormal = !review && metadata.abnormalLabels().contains(topLabel);
        return new Prediction(label, topLabel, p[top], p, review, abnormal);
    }

    /**
     * The row at temperature {@code t}, as the decoder uses it: p_i^(1/t) / sum_j p_j^(1/t), which is
     * softmax(logits / t) because the row is already a softmax. A copy of the row when t is 1.
     */
    public static float[] calibrated(float[] row, double t) {
        return calibrated(row, t, null);
    }

    /**
     * The row at temperature {@code t} with per-class logit offsets {@code bias} (null = none):
     * softmax(log(p) / t + bias). A copy of the row when t is 1 and there is no offset.
     */
    public static float[] calibrated(float[] row, double t, double[] bias) {
        if (t == 1.0 && bias == null) {
            return row.clone();
        }
        double[] logQ = logCalibrated(row, t, bias);
        float[] q = new float[row.length];
        for (int c = 0; c < q.length; c++) {
            q[c] = (float) Math.exp(logQ[c]);
        }
        return q;
    }

    /**
     * Natural log of {@link #calibrated}, in double precision: computed as a log-softmax of
     * log(p)/t so that a small probability raised to a large 1/t does not underflow on the way.
     * A zero (an underflowed float) counts as the smallest positive float, so its log stays finite.
     */
    public static double[] logCalibrated(float[] row, double t) {
        return logCalibrated(row, t, null);
    }

    /** Natural log of {@link #calibrated(float[], double, double[])}, in double precision. */
    public static double[] logCalibrated(float[] row, double t, double[] bias) {
        if (bias != null && bias.length != row.length) {
            throw new IllegalArgumentException(bias.length + " class offsets for a row of " + row.length);
        }
        double[] z = new double[row.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < z.length; c++) {
            z[c] = Math.log(Math.max(row[c], Float.MIN_VALUE)) / t + (bias == null ? 0 : bias[c]);
            max = Math.max(max, z[c]);
        }
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v - max);
        }
        double logSum = max + Math.log(sum);
        for (int c = 0; c < z.length; c++) {
            z[c] -= logSum;
        }
        return z;
    }

    private static boolean isZero(double[] v) {
        for (double x : v) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /** Shannon entropy divided by its maximum ln(C): 0 for a one-hot row, 1 for a uniform one. */
    public static double normalizedEntropy(float[] p) {
        if (p.length < 2) {
            return 0;
        }
        double h = 0;
        for (float v : p) {
            if (v > 0) {
                h -= v * Math.log(v);
            }
        }
        return Math.min(1, Math.max(0, h / Math.log(p.length)));
    }
}
