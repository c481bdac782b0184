package org.hematovision.classify;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The contents of a model bundle's {@code model.json}: everything needed to feed the network and
 * read its output, so that pre/post-processing stays apart from the runner.
 *
 * @param format              bundle format version (1)
 * @param name                model name, e.g. {@code wbc-mobilenetv2-int8}
 * @param version             model version string
 * @param labels              output classes, in output order
 * @param inputWidth          network input width in pixels
 * @param inputHeight         network input height in pixels
 * @param mean                per-channel (R,G,B) mean subtracted after scaling pixels to 0..1
 * @param std                 per-channel (R,G,B) divisor applied after the mean
 * @param abnormalLabels      labels that raise an abnormal-cell alert
 * @param excludedLabels      labels that are not white cells and stay out of the differential (e.g. platelet)
 * @param reviewThreshold     calibrated top probability (after {@code temperature}) below which a cell is sent to review
 * @param maxEntropy          optional (null = unused) normalized entropy (0..1) of the probabilities above
 *                            which a cell is sent to review: a calibrated out-of-distribution score
 * @param temperature         softmax temperature (> 0) applied to every probability row before the review
 *                            rules, fitted on validation; 1 leaves the network's probabilities as they are
 * @param classBias           per-label offset (natural-log units, labels absent = 0) added to the logits after
 *                            the temperature, fitted on validation together with it; empty = none
 * @param files               relative path to SHA-256 hex of every file of the bundle, checked on load
 * @param provenance          free-form facts: training data, command, date, licence
 * @param metrics             free-form measured figures (balanced accuracy, ...)
 */
public record ModelMetadata(
        int format,
        String name,
        String version,
        List<String> labels,
        int inputWidth,
        int inputHeight,
        float[] mean,
        float[] std,
        Set<String> abnormalLabels,
        Set<String> excludedLabels,
        double reviewThreshold,
        Double maxEntropy,
        double temperature,
        Map<String, Double> classBias,
        Map<String, String> files,
        Map<String, Object> provenance,
        Map<String, Object> metrics) {

    /** The original form without {@code maxEntropy} (kept so existing callers compile). */
    public ModelMetadata(int format, String name, String version, List<String> labels, int inputWidth,
                         int inputHeight, float[] mean, float[] std, Set<String> abnormalLabels,
                         Set<String> excludedLabels, double reviewThreshold, Map<String, String> files,
                         Map<String, Object> provenance, Map<String, Object> metrics) {
        this(format, name, version, labels, inputWidth, inputHeight, mean, std, abnormalLabels, excludedLabels,
                reviewThreshold, null, files, provenance, metrics);
    }

    /** The form without {@code temperature} (1: probabilities as the network gives them). */
    public ModelMetadata(int format, String name, String version, List<String> labels, int inputWidth,
                         int inputHeight, float[] mean, float[] std, Set<String> abnormalLabels,
                         Set<String> excludedLabels, double reviewThreshold, Double maxEntropy,
                         Map<String, String> files, Map<String, Object> provenance, Map<String, Object> metrics) {
        this(format, name, version, labels, inputWidth, inputHeight, mean, std, abnormalLabels, excludedLabels,
                reviewThreshold, maxEntropy, 1.0, files, provenance, metrics);
    }

    /** The form without {@code classBias} (no offsets). */
    public ModelMetadata(int format, String name, String version, List<String> labels, int inputWidth,
                         int inputHeight, float[] mean, float[] std, Set<String> abnormalLabels,
                         Set<String> excludedLabels, double reviewThreshold, Double maxEntropy, double temperature,
                         Map<String, String> files, Map<String, Object> provenance, Map<String, Object> metrics) {
        this(format, name, version, labels, inputWidth, inputHeight, mean, std, abnormalLabels, excludedLabels,
                reviewThreshold, maxEntropy, temperature, Map.of(), files, provenance, metrics);
    }

    /** The class offsets in label order (0 where a label has none). */
    public double[] classBiasVector() {
        double[] b = new double[labels.size()];
        for (int c = 0; c < b.length; c++) {
            Double v = classBias == null ? null : classBias.get(labels.get(c));
            b[c] = v == null ? 0 : v;
        }
        return b;
    }

    /** A copy with another {@code files} map (the bundle writer fills in the checksums). */
    public ModelMetadata withFiles(Map<String, String> newFiles) {
        return new ModelMetadata(format, name, version, labels, inputWidth, inputHeight, mean, std, abnormalLabels,
                excludedLabels, reviewThreshold, maxEntropy, temperature, classBias, newFiles, provenance, metrics);
    }
}
