package org.hematovision.eval.classifier;

import java.util.List;

/**
 * Chooses the top-probability threshold below which a cell goes to review, on the validation split
 * only. A cell silently given a wrong class costs twice a cell sent to review, so the threshold
 * maximizes {@code correct accepted - 2 x wrong accepted}: cells are reviewed where the model is
 * wrong at least one time in three. The grid is 0.30..0.95; ties keep the lower threshold.
 */
public final class ReviewCalibration {

    public static final double SILENT_ERROR_COST = 2.0;

    /** The chosen threshold and its validation figures. */
    public record Choice(double minProbability, ClassifierReport validation) {
    }

    private ReviewCalibration() {
    }

    public static Choice choose(List<String> labels, int[] truth, float[][] probs) {
        double bestT = 0.30;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 30; i <= 95; i++) {
            double t = i / 100.0;
            ClassifierReport r = ClassifierEvaluator.reportAtThreshold(labels, truth, probs, t);
            int correct = 0;
            for (int c = 0; c < labels.size(); c++) {
                correct += r.confusion()[c][c];
            }
            int wrong = r.total() - r.reviewed() - correct;
            double score = correct - SILENT_ERROR_COST * wrong;
            if (score > bestScore + 1e-9) {
                bestScore = score;
                bestT = t;
            }
        }
        return new Choice(bestT, ClassifierEvaluator.reportAtThreshold(labels, truth, probs, bestT));
    }
}
