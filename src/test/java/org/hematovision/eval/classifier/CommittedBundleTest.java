package org.hematovision.eval.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hematovision.classify.InferenceConfig;
import org.hematovision.classify.ModelBundle;
import org.hematovision.classify.TfCellClassifier;
import org.hematovision.testing.TestData;
import org.hematovision.train.PbcManifest;
import org.junit.jupiter.api.Test;

/**
 * The committed bundle {@code models/wbc-mobilenetv2}: it loads with matching checksums, stays within
 * the size budget, and on the PBC test split scores at least the balanced accuracy its model card
 * states minus 0.5 points (a regression gate; needs ../shared/data).
 */
class CommittedBundleTest {

    static final Path BUNDLE = Path.of("models", "wbc-mobilenetv2");
    static final long MAX_BYTES = 4_500_000L;
    private static final Pattern GATE = Pattern.compile("regression-gate: test balanced accuracy ([0-9.]+)%");

    @Test
    void bundleLoadsWithMatchingChecksumsAndFitsTheBudget() throws Exception {
        ModelBundle bundle = ModelBundle.open(BUNDLE);
        assertEquals(PbcManifest.LABELS, bundle.metadata().labels());
        assertEquals(Set.of("ig", "erythroblast"), bundle.metadata().abnormalLabels());
        assertEquals(Set.of("platelet"), bundle.metadata().excludedLabels());
        long total = 0;
        try (var s = Files.walk(BUNDLE)) {
            for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".md")).toList()) {
                total += Files.size(p);
            }
        }
        assertTrue(total <= MAX_BYTES, "bundle files total " + total + " bytes > " + MAX_BYTES);
    }

    @Test
    void testSplitScoresAtLeastTheCardMinusHalfAPoint() throws Exception {
        Path data = TestData.assumeShared();
        String card = Files.readString(BUNDLE.resolve("MODEL_CARD.md"), StandardCharsets.UTF_8);
        Matcher m = GATE.matcher(card);
        assertTrue(m.find(), "MODEL_CARD.md must state 'regression-gate: test balanced accuracy NN.NN%'");
        double stated = Double.parseDouble(m.group(1)) / 100;
        List<PbcManifest.Entry> test = PbcManifest.read(data.resolve("pbc"), "test");
        ClassifierReport report;
        try (TfCellClassifier clf = TfCellClassifier.open(InferenceConfig.defaults().withModel(BUNDLE))) {
            report = ClassifierEvaluator.report(clf.metadata().labels(), ClassifierEvaluator.score(clf, test, Perturbation.NONE, null));
        }
        System.out.printf("committed bundle on PBC test: balanced accuracy %.2f%% (card %.2f%%), review rate %.2f%%%n",
                100 * report.balancedAccuracy(), 100 * stated, 100 * report.reviewRate());
        assertEquals(1222, report.total());
        assertTrue(report.balancedAccuracy() >= stated - 0.005, String.format(
                "balanced accuracy %.2f%% fell below the card's %.2f%% minus 0.5 points", 100 * report.balancedAccuracy(), 100 * stated));
    }
}
