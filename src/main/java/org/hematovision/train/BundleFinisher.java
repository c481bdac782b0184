package org.hematovision.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.hematovision.classify.InferenceConfig;
import org.hematovision.classify.ModelBundleWriter;
import org.hematovision.classify.ModelMetadataBuilder;
import org.hematovision.classify.TfCellClassifier;
import org.hematovision.eval.classifier.ClassifierEvaluator;
import org.hematovision.eval.classifier.Perturbation;
import org.hematovision.eval.classifier.ReviewCalibration;

/**
 * Turns trained parameters into a bundle: SavedModel export, {@code model.json} via the runtime's
 * {@link ModelBundleWriter}, then the review rule calibrated on the validation split by running the
 * exported bundle through the appliance's own classifier ({@link TfCellClassifier}): a softmax
 * temperature and class offsets fitted to the raw probabilities and the cost-ratio threshold of
 * {@link ReviewCalibration}.
 */
public final class BundleFinisher {

    public static final String NAME = "wbc-mobilenetv2";

    private BundleFinisher() {
    }

    /**
     * A bundle's review rule: {@code review.temperature}, {@code review.classBias} (label order, null =
     * none) and {@code review.minProbability}.
     */
    public record Review(double temperature, double[] classBias, double minProbability) {
    }

    /** The review rule written to the bundle and the bundle's validation figures under it. */
    public record Finished(Review review, Map<String, Object> validation) {
    }

    /**
     * @param fixedReview null to calibrate the rule on this bundle's validation scores, or the rule of
     *                    another bundle (the float bundle takes the int8 bundle's, so the two compare
     *                    under one rule)
     */
    public static Finished finish(Trainer.Outcome outcome, TrainConfig cfg, MobileNetV2Graph.Mode mode, Path dir,
                                  String version, Map<String, Object> provenance, Review fixedReview,
                                  Consumer<String> log) throws IOException {
        BundleExporter.exportSavedModel(outcome.model(), outcome.params(), cfg.inputSize(), mode, dir);
        // T = 1 and no threshold: the classifier hands back the network's own probabilities
        ModelBundleWriter.write(dir, metadata(outcome, cfg, version, provenance, new Review(1.0, null, 0.0)).build());
        List<PbcManifest.Entry> val = PbcManifest.read(cfg.data(), "val");
        ClassifierEvaluator.Scored scored;
        InferenceConfig inference = InferenceConfig.defaults();
        // the training run's thread setting, so a single-threaded run calibrates bit for bit the same too
        inference = new InferenceConfig(dir, inference.device(), cfg.threads(), inference.maxBatch());
        try (TfCellClassifier clf = TfCellClassifier.open(inference)) {
            scored = ClassifierEvaluator.score(clf, val, Perturbation.NONE, log);
        }
        ReviewCalibration.Choice choice = fixedReview == null
                ? ReviewCalibration.calibrate(PbcManifest.LABELS, scored.truth(), scored.probabilities())
                : ReviewCalibration.apply(PbcManifest.LABELS, scored.truth(), scored.probabilities(),
                        fixedReview.temperature(), fixedReview.classBias(), fixedReview.minProbability());
        Review review = new Review(choice.temperature(), choice.classBias(), choice.minProbability());
        ModelMetadataBuilder done = metadata(outcome, cfg, version, provenance, review);
        Map<String, Object> v = choice.validation().toMap();
        done.metric("valBalancedAccuracy", v.get("balancedAccuracy"));
        done.metric("valReviewRate", v.get("reviewRate"));
        done.metric("valMacroF1", v.get("macroF1"));
        done.metric("valNllBefore", choice.nllBefore());
        done.metric("valNllAfter", choice.nllAfter());
        done.metric("trainingSeconds", Math.round(outcome.seconds()));
        ModelBundleWriter.write(dir, done.build());
        log.accept(String.format("%s bundle %s: temperature %.4f, class offsets %s%s, review below calibrated p=%.4f; "
                        + "val NLL %.4f -> %.4f, balanced accuracy %.2f%% (review = error), review rate %.2f%%, macro F1 %.2f%%; %d bytes",
                mode, dir, review.temperature(), offsets(review.classBias()),
                fixedReview == null ? " (fitted on val)" : " (given)", review.minProbability(), choice.nllBefore(), choice.nllAfter(),
                100 * (double) v.get("balancedAccuracy"), 100 * (double) v.get("reviewRate"),
                100 * (double) v.get("macroF1"), BundleExporter.sizeOf(dir)));
        return new Finished(review, v);
    }

    /** "basophil -0.74, eosinophil -0.55, ..." or "none". */
    public static String offsets(double[] bias) {
        if (bias == null) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < bias.length; c++) {
            sb.append(c == 0 ? "" : ", ").append(PbcManifest.LABELS.get(c)).append(String.format(" %+.2f", bias[c]));
        }
        return sb.toString();
    }

    private static ModelMetadataBuilder metadata(Trainer.Outcome outcome, TrainConfig cfg, String version,
                                                 Map<String, Object> provenance, Review review) {
        ModelMetadataBuilder b = new ModelMetadataBuilder(NAME, version, PbcManifest.LABELS)
                .inputSize(cfg.inputSize(), cfg.inputSize())
                .normalization(outcome.mean(), outcome.std())
                .abnormalLabels("ig", "erythroblast")
                .excludedLabels("platelet")
                .temperature(review.temperature())
                .classBias(review.classBias())
                .minProbability(review.minProbability())
                .maxEntropy(null);
        provenance.forEach(b::provenance);
        return b;
    }
}
