package org.hematovision.classify;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the network's probability rows into {@link Prediction}s with the bundle's rules: the top
 * label; review when the top probability is below {@code review.minProbability} or, when the bundle
 * sets {@code review.maxEntropy}, the normalized entropy exceeds it; abnormal when the (non-review)
 * label is one of {@code abnormalLabels}.
 */
public final class PredictionDecoder {

    /** Tolerance on the sum of a row: float softmax sums are within ~1e-6 of 1; logits are far off. */
    static final double SUM_TOLERANCE = 1e-3;

    private final List<String> labels;
    private final ModelMetadata metadata;

    public PredictionDecoder(ModelMetadata metadata) {
        this.metadata = metadata;
        this.labels = List.copyOf(metadata.labels());
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
        int top = 0;
        double sum = 0;
        for (int c = 0; c < row.length; c++) {
            float p = row[c];
            if (!(p >= -1e-6f && p <= 1 + 1e-6f)) {
                throw new IllegalStateException("model output row " + index + " has value " + p
                        + " outside 0..1: the SavedModel must end in softmax");
            }
            sum += p;
            if (p > row[top]) {
                top = c;
            }
        }
        if (Math.abs(sum - 1) > SUM_TOLERANCE) {
            throw new IllegalStateException("model output row " + index + " sums to " + sum
                    + ", not 1: the SavedModel must end in softmax");
        }
        String topLabel = labels.get(top);
        boolean review = row[top] < metadata.reviewThreshold()
                || (metadata.maxEntropy() != null && normalizedEntropy(row) > metadata.maxEntropy());
        String label = review ? Prediction.REVIEW : topLabel;
        boolean abnormal = !review && metadata.abnormalLabels().contains(topLabel);
        return new Prediction(label, topLabel, row[top], row, review, abnormal);
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
