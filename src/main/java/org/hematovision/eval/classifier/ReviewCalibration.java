package org.hematovision.eval.classifier;

import java.util.List;
import org.hematovision.classify.PredictionDecoder;

/**
 * Calibrates the review decision on the validation split only. First a softmax temperature T is
 * fitted so that the probabilities mean what they say (the network is trained with label smoothing,
 * hence under-confident). The threshold then follows from costs instead of a search: accepting a
 * correct cell scores +1, a silently wrong one -{@link #SILENT_ERROR_COST}, a review 0, so a cell
 * whose calibrated top probability is p is worth accepting iff p - c(1 - p) &gt;= 0, i.e.
 * p &gt;= c / (1 + c). A threshold searched on validation rested on the few cells near it and moved
 * between training runs; here the threshold is fixed and T is fitted on every validation cell.
 */
public final class ReviewCalibration {

    public static final double SILENT_ERROR_COST = 2.0;

    /** Calibrated top probability at and above which a cell is accepted: 2/3. */
    public static final double MIN_PROBABILITY = SILENT_ERROR_COST / (1 + SILENT_ERROR_COST);

    /** Search range of T; beyond it the fit only says "much sharper/softer" and the bound does as well. */
    static final double MIN_TEMPERATURE = 0.05;
    static final double MAX_TEMPERATURE = 20;

    /** Golden-section stops when the bracket on ln T is this narrow (T to ~1e-5 relative). */
    private static final double LN_T_TOLERANCE = 1e-5;

    /**
     * The review rule and its validation figures.
     *
     * @param temperature    softmax temperature applied before the threshold
     * @param minProbability calibrated top probability below which a cell goes to review
     * @param validation     report of the calibrated probabilities at that threshold (review = error)
     * @param nllBefore      mean negative log-likelihood of the true class at T = 1
     * @param nllAfter       the same at {@code temperature}
     */
    public record Choice(double temperature, double minProbability, ClassifierReport validation,
                         double nllBefore, double nllAfter) {
    }

    private ReviewCalibration() {
    }

    /** Fits T on the raw (T = 1) probability rows and applies the cost-ratio threshold. */
    public static Choice calibrate(List<String> labels, int[] truth, float[][] rawProbs) {
        return apply(labels, truth, rawProbs, fitTemperature(truth, rawProbs), MIN_PROBABILITY);
    }

    /** The figures of a given rule (e.g. one calibrated on another bundle) on raw probability rows. */
    public static Choice apply(List<String> labels, int[] truth, float[][] rawProbs, double temperature,
                               double minProbability) {
        float[][] calibrated = new float[rawProbs.length][];
        for (int i = 0; i < rawProbs.length; i++) {
            calibrated[i] = PredictionDecoder.calibrated(rawProbs[i], temperature);
        }
        return new Choice(temperature, minProbability,
                ClassifierEvaluator.reportAtThreshold(labels, truth, calibrated, minProbability),
                meanNll(truth, rawProbs, 1.0), meanNll(truth, rawProbs, temperature));
    }

    /**
     * The T minimizing the mean negative log-likelihood of the true class, by golden-section search
     * over ln T in [ln 0.05, ln 20]. The NLL is convex in 1/T, so it has a single minimum along ln T.
     */
    public static double fitTemperature(int[] truth, float[][] rawProbs) {
        if (truth.length == 0) {
            throw new IllegalArgumentException("no validation cells to fit a temperature on");
        }
        double invPhi = (Math.sqrt(5) - 1) / 2;
        double a = Math.log(MIN_TEMPERATURE);
        double b = Math.log(MAX_TEMPERATURE);
        double x1 = b - invPhi * (b - a);
        double x2 = a + invPhi * (b - a);
        double f1 = meanNll(truth, rawProbs, Math.exp(x1));
        double f2 = meanNll(truth, rawProbs, Math.exp(x2));
        while (b - a > LN_T_TOLERANCE) {
            if (f1 <= f2) {
                b = x2;
                x2 = x1;
                f2 = f1;
                x1 = b - invPhi * (b - a);
                f1 = meanNll(truth, rawProbs, Math.exp(x1));
            } else {
                a = x1;
                x1 = x2;
                f1 = f2;
                x2 = a + invPhi * (b - a);
                f2 = meanNll(truth, rawProbs, Math.exp(x2));
            }
        }
        return Math.exp((a + b) / 2);
    }

    /** Mean of -ln(calibrated probability of the true class) at temperature t. */
    public static double meanNll(int[] truth, float[][] rawProbs, double t) {
        double sum = 0;
        for (int i = 0; i < truth.length; i++) {
            sum -= PredictionDecoder.logCalibrated(rawProbs[i], t)[truth[i]];
        }
        return sum / truth.length;
    }
}
