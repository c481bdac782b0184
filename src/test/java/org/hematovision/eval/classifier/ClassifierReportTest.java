package org.hematovision.eval.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.hematovision.sample.ConfidenceInterval;
import org.junit.jupiter.api.Test;

class ClassifierReportTest {

    private static final List<String> LABELS = List.of("a", "b");
    private static final List<String> THREE = List.of("a", "b", "c");

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
    void recallIntervalIsTheExactBinomialIntervalWithReviewAsAnError() {
        ClassifierReport r = new ClassifierReport(LABELS, new int[][] {{8, 1, 1}, {0, 9, 1}});
        ConfidenceInterval exact = ConfidenceInterval.clopperPearson(8, 10, 0.95);
        assertEquals(exact.lower(), r.recallInterval(0).lower(), 0.0);
        assertEquals(exact.upper(), r.recallInterval(0).upper(), 0.0);
        // 8 of 10: the textbook exact interval is 0.444-0.975
        assertEquals(0.444, r.recallInterval(0).lower(), 0.001);
        assertEquals(0.975, r.recallInterval(0).upper(), 0.001);
    }

    @Test
    void balancedAccuracyIntervalHasTheBinomialWidthAndRepeats() {
        // two classes of 1,000 cells, 95% and 90% right: the standard error of the mean of the two
        // recalls is sqrt(.95*.05/1000 + .9*.1/1000)/2, the 95% half-width 1.96 times that
        ClassifierReport r = new ClassifierReport(LABELS, new int[][] {{950, 30, 20}, {60, 900, 40}});
        ConfidenceInterval ci = r.balancedAccuracyInterval();
        double halfWidth = 1.96 * Math.sqrt(0.95 * 0.05 / 1000 + 0.9 * 0.1 / 1000) / 2;
        assertEquals(r.balancedAccuracy(), (ci.lower() + ci.upper()) / 2, 0.002);
        assertEquals(halfWidth, (ci.upper() - ci.lower()) / 2, 0.1 * halfWidth);
        assertEquals(ci, r.balancedAccuracyInterval(), "same matrix, same interval");
        // ten times fewer cells: about sqrt(10) times wider
        ClassifierReport small = new ClassifierReport(LABELS, new int[][] {{95, 3, 2}, {6, 90, 4}});
        ConfidenceInterval wide = small.balancedAccuracyInterval();
        double ratio = (wide.upper() - wide.lower()) / (ci.upper() - ci.lower());
        assertTrue(ratio > 2.6 && ratio < 3.8, "width ratio " + ratio);
    }

    @Test
    void aPerfectClassifierHasNoBootstrapSpreadButItsRecallIntervalsStillDo() {
        ClassifierReport r = new ClassifierReport(LABELS, new int[][] {{150, 0, 0}, {0, 150, 0}});
        assertEquals(new ConfidenceInterval(1, 1), r.balancedAccuracyInterval());
        // 150 of 150: the exact lower bound is 1 - 0.025^(1/150)
        assertEquals(1 - Math.pow(0.025, 1.0 / 150), 1 - r.recallInterval(0).lower(), 1e-6);
    }

    @Test
    void thresholdSendsLowProbabilityCellsToReview() {
        int[] truth = {0, 0, 1, 1, 1};
        float[][] probs = {{0.95f, 0.05f}, {0.55f, 0.45f}, {0.1f, 0.9f}, {0.515f, 0.485f}, {0.2f, 0.8f}};
        ClassifierReport r = ClassifierEvaluator.reportAtThreshold(LABELS, truth, probs, 0.6);
        assertEquals(2, r.reviewed());
        assertEquals(1, r.confusion()[0][0]);
        assertEquals(2, r.confusion()[1][1]);
    }

    @Test
    void thresholdIsTheCostRatio() {
        // +1 per correct accept, -2 per silent error: break-even where p - 2(1 - p) = 0
        assertEquals(2.0 / 3, ReviewCalibration.MIN_PROBABILITY, 1e-15);
        int[] truth = {0, 0};
        float[][] probs = {{0.66f, 0.34f}, {0.67f, 0.33f}};
        ReviewCalibration.Choice c = ReviewCalibration.apply(LABELS, truth, probs, 1.0, ReviewCalibration.MIN_PROBABILITY);
        assertEquals(1, c.validation().reviewed());
        assertEquals(1, c.validation().confusion()[0][0]);
        assertEquals(c.nllBefore(), c.nllAfter(), 0.0);
        assertEquals(-(Math.log(0.66f) + Math.log(0.67f)) / 2, c.nllBefore(), 1e-6);
    }

    @Test
    void underConfidentRowsAreSharpenedToTheirAccuracyAndAcceptedAtTwoThirds() {
        // ten cells right and one wrong, all at 0.6 / 0.2 / 0.2: the fit makes the top mean 10/11, i.e.
        // 1 / (1 + 2 * 3^(-1/T)) = 10/11, T = ln 3 / ln 20
        int[] truth = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        float[][] probs = new float[truth.length][];
        for (int i = 0; i < probs.length; i++) {
            probs[i] = new float[] {0.6f, 0.2f, 0.2f};
        }
        double t = ReviewCalibration.fitTemperature(truth, probs);
        assertEquals(Math.log(3) / Math.log(20), t, 1e-4);
        // temperature only: with offsets the fit would also learn that c never occurs
        ReviewCalibration.Choice c = ReviewCalibration.apply(THREE, truth, probs, t, ReviewCalibration.MIN_PROBABILITY);
        assertEquals(t, c.temperature(), 0.0);
        assertEquals(ReviewCalibration.MIN_PROBABILITY, c.minProbability(), 0.0);
        // raw 0.6 would all go to review; calibrated 10/11 are all accepted
        assertEquals(11, ClassifierEvaluator.reportAtThreshold(THREE, truth, probs, c.minProbability()).reviewed());
        assertEquals(0, c.validation().reviewed());
        assertEquals(10, c.validation().confusion()[0][0]);
        assertEquals(1, c.validation().confusion()[1][0]);
        double q = 10.0 / 11;
        assertEquals(-(10 * Math.log(q) + Math.log((1 - q) / 2)) / 11, c.nllAfter(), 1e-6);
        assertTrue(c.nllAfter() < c.nllBefore());
    }

    @Test
    void fitRecoversAKnownTemperature() {
        for (double temperature : new double[] {0.4, 2.5}) {
            Synthetic s = synthetic(4000, 6, temperature, new Random(42));
            double fitted = ReviewCalibration.fitTemperature(s.truth, s.raw);
            assertEquals(temperature, fitted, 0.05 * temperature, "temperature " + temperature);
            // the search found the minimum of the NLL it was given, not just something near it
            double best = ReviewCalibration.meanNll(s.truth, s.raw, fitted);
            assertTrue(best <= ReviewCalibration.meanNll(s.truth, s.raw, fitted * 1.001));
            assertTrue(best <= ReviewCalibration.meanNll(s.truth, s.raw, fitted / 1.001));
            assertTrue(best < ReviewCalibration.meanNll(s.truth, s.raw, 1.0));
        }
    }

    @Test
    void jointFitRecoversAKnownTemperatureAndClassOffsets() {
        double[] offsets = {0.9, -0.6, 0.0, 0.4, -0.3, -0.4};
        for (double temperature : new double[] {0.6, 1.8}) {
            Synthetic s = synthetic(20000, offsets.length, temperature, offsets, new Random(7));
            ReviewCalibration.Fit fit = ReviewCalibration.fit(offsets.length, s.truth, s.raw);
            assertEquals(temperature, fit.temperature(), 0.04 * temperature, "temperature " + temperature);
            for (int c = 0; c < offsets.length; c++) {
                assertEquals(offsets[c], fit.classBias()[c], 0.08, "offset of class " + c + " at T " + temperature);
            }
            double sum = 0;
            for (double b : fit.classBias()) {
                sum += b;
            }
            assertEquals(0, sum, 1e-9, "offsets are centred");
            // never worse than the temperature alone, which it starts from
            double tOnly = ReviewCalibration.fitTemperature(s.truth, s.raw);
            assertTrue(ReviewCalibration.meanNll(s.truth, s.raw, fit.temperature(), fit.classBias())
                    < ReviewCalibration.meanNll(s.truth, s.raw, tOnly));
        }
    }

    @Test
    void withoutOffsetsInTheDataTheJointFitKeepsThemNearZero() {
        Synthetic s = synthetic(20000, 5, 0.7, new Random(11));
        ReviewCalibration.Fit fit = ReviewCalibration.fit(5, s.truth, s.raw);
        assertEquals(ReviewCalibration.fitTemperature(s.truth, s.raw), fit.temperature(), 0.02);
        for (double b : fit.classBias()) {
            assertEquals(0, b, 0.06);
        }
    }

    @Test
    void aClassWithNoValidationCellGetsAFiniteNegativeOffset() {
        Synthetic s = synthetic(3000, 4, 1.0, new Random(3));
        // relabel every class-3 cell as class 0: class 3 is never the truth
        int[] truth = s.truth.clone();
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] == 3) {
                truth[i] = 0;
            }
        }
        ReviewCalibration.Fit fit = ReviewCalibration.fit(4, truth, s.raw);
        assertTrue(Double.isFinite(fit.classBias()[3]) && fit.classBias()[3] < -2, "offset " + fit.classBias()[3]);
        assertTrue(fit.temperature() > 0 && Double.isFinite(fit.temperature()));
    }

    @Test
    void calibrateFitsOffsetsAndReportsTheirNll() {
        double[] offsets = {0.0, 1.0, -1.0};
        Synthetic s = synthetic(5000, 3, 1.2, offsets, new Random(5));
        ReviewCalibration.Choice c = ReviewCalibration.calibrate(THREE, s.truth, s.raw);
        assertEquals(3, c.classBias().length);
        assertTrue(c.classBias()[1] > c.classBias()[0] && c.classBias()[0] > c.classBias()[2]);
        assertEquals(ReviewCalibration.meanNll(s.truth, s.raw, c.temperature(), c.classBias()), c.nllAfter(), 1e-12);
        assertTrue(c.nllAfter() < c.nllBefore());
    }

    @Test
    void fitNeedsCells() {
        assertThrows(IllegalArgumentException.class, () -> ReviewCalibration.fitTemperature(new int[0], new float[0][]));
    }

    private record Synthetic(int[] truth, float[][] raw) {
    }

    private static Synthetic synthetic(int n, int classes, double temperature, Random rnd) {
        return synthetic(n, classes, temperature, new double[classes], rnd);
    }

    /**
     * Labels drawn from softmax(z + offsets) of random logits z, so z + offsets is calibrated; the
     * "network" reports softmax(z * temperature), which the calibration softmax(log p / temperature +
     * offsets) turns back into softmax(z + offsets).
     */
    private static Synthetic synthetic(int n, int classes, double temperature, double[] offsets, Random rnd) {
        int[] truth = new int[n];
        float[][] raw = new float[n][];
        for (int i = 0; i < n; i++) {
            double[] z = new double[classes];
            int centre = rnd.nextInt(classes);
            for (int c = 0; c < classes; c++) {
                z[c] = rnd.nextGaussian() + (c == centre ? 2.5 : 0);
            }
            double[] shifted = new double[classes];
            for (int c = 0; c < classes; c++) {
                shifted[c] = z[c] + offsets[c];
            }
            double[] p = softmax(shifted, 1);
            double u = rnd.nextDouble();
            int y = 0;
            for (double acc = p[0]; acc < u && y < classes - 1; acc += p[++y]) {
                // walk the cumulative distribution
            }
            truth[i] = y;
            double[] q = softmax(z, temperature);
            raw[i] = new float[classes];
            for (int c = 0; c < classes; c++) {
                raw[i][c] = (float) q[c];
            }
        }
        return new Synthetic(truth, raw);
    }

    private static double[] softmax(double[] z, double scale) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v * scale);
        }
        double[] e = new double[z.length];
        double sum = 0;
        for (int c = 0; c < z.length; c++) {
            e[c] = Math.exp(z[c] * scale - max);
            sum += e[c];
        }
        for (int c = 0; c < z.length; c++) {
            e[c] /= sum;
        }
        return e;
    }
}
