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
 * {@link ModelBundleWriter}, then the review threshold calibrated on the validation split by running
 * the exported bundle through the appliance's own classifier ({@link TfCellClassifier}).
 */
public final class BundleFinisher {

    public static final String NAME = "wbc-mobilenetv2";

    private BundleFinisher() {
    }

    /** The calibrated threshold and the validation figures of the bundle at that threshold. */
    public record Finished(double minProbability, Map<String, Object> validation) {
    }

    public static Finished finish(Trainer.Outcome outcome, TrainConfig cfg, MobileNetV2Graph.Mode mode, Path dir,
                                  String version, Map<String, Object> provenance, Double fixedMinProbability,
                                  Consumer<String> log) throws IOException {
        BundleExporter.exportSavedModel(outcome.model(), outcome.params(), cfg.inputSize(), mode, dir);
        ModelMetadataBuilder meta = metadata(outcome, cfg, version, provenance, 0.0);
        ModelBundleWriter.write(dir, meta.build());
        List<PbcManifest.Entry> val = PbcManifest.read(cfg.data(), "val");
        ClassifierEvaluator.Scored scored;
        try (TfCellClassifier clf = TfCellClassifier.open(InferenceConfig.defaults().withModel(dir))) {
            scored = ClassifierEvaluator.score(clf, val, Perturbation.NONE, log);
        }
        ReviewCalibration.Choice choice = fixedMinProbability == null
                ? ReviewCalibration.choose(PbcManifest.LABELS, scored.truth(), scored.probabilities())
                : new ReviewCalibration.Choice(fixedMinProbability, ClassifierEvaluator.reportAtThreshold(
                        PbcManifest.LABELS, scored.truth(), scored.probabilities(), fixedMinProbability));
        ModelMetadataBuilder done = metadata(outcome, cfg, version, provenance, choice.minProbability());
        Map<String, Object> v = choice.validation().toMap();
        done.metric("valBalancedAccuracy", v.get("balancedAccuracy"));
        done.metric("valReviewRate", v.get("reviewRate"));
        done.metric("valMacroF1", v.get("macroF1"));
        done.metric("trainingSeconds", Math.round(outcome.seconds()));
        ModelBundleWriter.write(dir, done.build());
        log.accept(String.format("%s bundle %s: review below p=%.2f; val balanced accuracy %.2f%% (review = error), review rate %.2f%%; %d bytes",
                mode, dir, choice.minProbability(), 100 * (double) v.get("balancedAccuracy"), 100 * (double) v.get("reviewRate"),
                BundleExporter.sizeOf(dir)));
        return new Finished(choice.minProbability(), v);
    }

    private static ModelMetadataBuilder metadata(Trainer.Outcome outcome, TrainConfig cfg, String version,
                                                 Map<String, Object> provenance, double minProbability) {
        ModelMetadataBuilder b = new ModelMetadataBuilder(NAME, version, PbcManifest.LABELS)
                .inputSize(cfg.inputSize(), cfg.inputSize())
                .normalization(outcome.mean(), outcome.std())
                .abnormalLabels("ig", "erythroblast")
                .excludedLabels("platelet")
                .minProbability(minProbability)
                .maxEntropy(null);
        provenance.forEach(b::provenance);
        return b;
    }
}
