package org.hematovision.eval.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassifierReportTest {

    private static final List<String> LABELS = List.of("a", "b");

    @Test
    void reviewCountsAsAnErrorAndIsReportedBeside() {
        // a: 8 right, 1 called b, 1 review; b: 9 right, 1 review
        ClassifierReport r = new ClassifierReport(LABELS, new int[][] {{8, 1, 1}, {0, 9, 1}});
        assertEquals(0.8, r.recall(0), 1e-12);
        assertEquals(0.9, r.recall(1), 1e-12);
        assertEquals(0.85, r.balancedAccuracy(), 1e-12);
        assertEquals(1.0, r.precision(0), 1e-12);
        assertEquals(0.9, r.precision(1), 1e-12);
        assertEquals(0.1, r.reviewRate(), 1e-12);
        assertEquals(17.0 / 18, r.acceptedAccuracy(), 1e-12);
        assertEquals(2 * 0.8 / 1.8, r.f1(0), 1e-12);
    }

    @Test
    void thresholdSendsLowProbabilityCellsToReviewAndCalibrationPrefersReviewOverLikelyErrors() {
        int[] truth = {0, 0, 1, 1, 1};
        float[][] probs = {{0.95f, 0.05f}, {0.55f, 0.45f}, {0.1f, 0.9f}, {0.515f, 0.485f}, {0.2f, 0.8f}};
        ClassifierReport r = ClassifierEvaluator.reportAtThreshold(LABELS, truth, probs, 0.6);
        assertEquals(2, r.reviewed());
        assertEquals(1, r.confusion()[0][0]);
        // at 0.30 one wrong (cell 3) and one right at 0.55: reviewing both costs 1 correct, saves 1 error (x2)
        ReviewCalibration.Choice c = ReviewCalibration.choose(LABELS, truth, probs);
        assertEquals(0.52, c.minProbability(), 1e-9);
        assertEquals(1, c.validation().reviewed());
    }
}
