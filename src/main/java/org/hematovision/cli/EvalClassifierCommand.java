package org.hematovision.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hematovision.classify.InferenceConfig;
import org.hematovision.config.AppConfig;
import org.hematovision.classify.TfCellClassifier;
import org.hematovision.eval.classifier.ClassifierEvaluator;
import org.hematovision.eval.classifier.ClassifierReport;
import org.hematovision.eval.classifier.EvalCharts;
import org.hematovision.eval.classifier.Perturbation;
import org.hematovision.train.PbcManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Scores a model bundle on one PBC split through the appliance's classifier (bundle preprocessing,
 * TF session, temperature and review rule, so every figure is of the calibrated probabilities):
 * per-class precision/recall/F1, balanced accuracy, macro F1, review rate (review counts as an error),
 * PNG charts, and a robustness table under image perturbations.
 */
@Command(name = "eval-classifier", mixinStandardHelpOptions = true,
        description = "Evaluate a classifier bundle on a PBC split (review counts as error) with a robustness table.")
public final class EvalClassifierCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "PBC folder with manifest.csv")
    Path data;

    @Option(names = "--split", paramLabel = "NAME", description = "manifest split (default: ${DEFAULT-VALUE})")
    String split = "test";

    @Option(names = "--model", paramLabel = "DIR", description = "model bundle (default: models/wbc-mobilenetv2 in the "
            + "installation)")
    Path model;

    @Option(names = "--device", paramLabel = "DEVICE", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE})")
    String device = InferenceConfig.DEFAULT_DEVICE;

    @Option(names = "--json", paramLabel = "OUT", description = "write all figures as JSON")
    Path json;

    @Option(names = "--png", paramLabel = "DIR", description = "write confusion-matrix.png and per-class.png into DIR")
    Path png;

    @Option(names = "--no-robustness", description = "skip the perturbation table")
    boolean noRobustness;

    @Override
    public Integer call() throws Exception {
        List<PbcManifest.Entry> entries = PbcManifest.read(data, split);
        if (model == null) {
            model = InferenceConfig.DEFAULT_MODEL; // as written in the report; opened from the installation
        }
        Path bundle = model.equals(InferenceConfig.DEFAULT_MODEL) && !java.nio.file.Files.isDirectory(model)
                ? AppConfig.home().resolve(model) : model;
        InferenceConfig cfg = new InferenceConfig(bundle, device, InferenceConfig.DEFAULT_THREADS);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model.toString());
        out.put("split", split);
        try (TfCellClassifier clf = TfCellClassifier.open(cfg)) {
            out.put("modelName", clf.metadata().name() + " " + clf.metadata().version());
            out.put("reviewMinProbability", clf.metadata().reviewThreshold());
            out.put("reviewTemperature", clf.metadata().temperature());
            out.put("reviewClassBias", clf.metadata().classBias());
            long t0 = System.nanoTime();
            ClassifierEvaluator.Scored clean = ClassifierEvaluator.score(clf, entries, Perturbation.NONE, EvalClassifierCommand::log);
            double secs = (System.nanoTime() - t0) / 1e9;
            ClassifierReport report = ClassifierEvaluator.report(clf.metadata().labels(), clean);
            Map<String, Object> r = report.toMap();
            r.put("topOneBalancedAccuracyWithoutReview", ClassifierEvaluator.reportAtThreshold(
                    clf.metadata().labels(), clean.truth(), clean.probabilities(), 0).balancedAccuracy());
            out.put("clean", r);
            out.put("cellsWrongOrReviewed", wrongOrReviewed(entries, clean, clf.metadata().labels()));
            out.put("secondsIncludingImageDecoding", secs);
            System.out.printf(java.util.Locale.ROOT, "## %s on split=%s (%d cells, temperature %.4f, class offsets %s, "
                            + "review below calibrated p=%.4f)%n%n", model, split, entries.size(), clf.metadata().temperature(),
                    clf.metadata().classBias().isEmpty() ? "none" : clf.metadata().classBias(), clf.metadata().reviewThreshold());
            System.out.println(report.toMarkdown());
            System.out.printf("top-1 balanced accuracy ignoring review: %.2f%%%n%n",
                    100 * (double) r.get("topOneBalancedAccuracyWithoutReview"));
            if (png != null) {
                String title = clf.metadata().name() + " " + clf.metadata().version() + ", PBC " + split;
                EvalCharts.confusionPng(report, title, png.resolve("confusion-matrix.png"));
                EvalCharts.perClassPng(report, title + " (review = error)", png.resolve("per-class.png"));
            }
            if (!noRobustness) {
                List<Map<String, Object>> rows = new ArrayList<>();
                StringBuilder table = new StringBuilder("| perturbation | balanced accuracy | drop (points) | review rate | min class recall |\n|---|---|---|---|---|\n");
                for (Perturbation p : Perturbation.values()) {
                    ClassifierReport pr = p == Perturbation.NONE ? report
                            : ClassifierEvaluator.report(clf.metadata().labels(), ClassifierEvaluator.score(clf, entries, p, EvalClassifierCommand::log));
                    double minRecall = 1;
                    for (int c = 0; c < pr.classes(); c++) {
                        minRecall = Math.min(minRecall, pr.recall(c));
                    }
                    double drop = 100 * (report.balancedAccuracy() - pr.balancedAccuracy());
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("perturbation", p.description());
                    row.put("balancedAccuracy", pr.balancedAccuracy());
                    row.put("dropPoints", drop);
                    row.put("reviewRate", pr.reviewRate());
                    row.put("minClassRecall", minRecall);
                    rows.add(row);
                    table.append(String.format("| %s | %.2f%% | %.2f | %.2f%% | %.2f%% |%n", p.description(),
                            100 * pr.balancedAccuracy(), drop, 100 * pr.reviewRate(), 100 * minRecall));
                }
                out.put("robustness", rows);
                System.out.println(table);
            }
        }
        if (json != null) {
            Path parent = json.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), out);
        }
        return 0;
    }

    /**
     * Every cell the bundle got wrong or sent to review, by image path relative to the data folder:
     * which cells fail, and whether the same ones fail from run to run, is what says why a class falls short.
     */
    private List<Map<String, Object>> wrongOrReviewed(List<PbcManifest.Entry> entries, ClassifierEvaluator.Scored scored,
                                                      List<String> labels) {
        List<Map<String, Object>> cells = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            var p = scored.predictions().get(i);
            String truth = labels.get(scored.truth()[i]);
            if (p.review() || !p.label().equals(truth)) {
                Map<String, Object> cell = new LinkedHashMap<>();
                Path path = entries.get(i).path();
                cell.put("path", (path.startsWith(data) ? data.relativize(path) : path).toString());
                cell.put("truth", truth);
                cell.put("label", p.label());
                cell.put("topLabel", p.topLabel());
                cell.put("probability", p.probability());
                cell.put("truthProbability", p.probabilities()[scored.truth()[i]]);
                cells.add(cell);
            }
        }
        return cells;
    }

    private static void log(String s) {
        System.err.println(s);
    }
}
