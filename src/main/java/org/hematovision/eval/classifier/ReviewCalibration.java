package org.hematovision.eval.classifier;

import java.util.List;
import org.hematovision.classify.PredictionDecoder;

/**
 * Calibrates the review decision on the validation split only. First the probabilities are made to
 * mean what they say: a softmax temperature T (the network is trained with label smoothing, hence
 * under-confident) and one logit offset per class b (bias-corrected temperature scaling: a class the
 * network under-calls as a whole, such as the heterogeneous {@code ig}, gets a positive offset) are
 * fitted together by minimum negative log-likelihood, q = softmax(log(p) / T + b), offsets centred on 0.
 * The threshold then follows from costs instead of a search: accepting a
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
     * Ridge weight on the offsets: negligible against the data term (its gradient is 2e-4 b), it keeps
     * the optimum finite when a class has no validation cell (its offset would otherwise run to -inf).
     */
    static final double OFFSET_RIDGE = 1e-4;

    private static final int MAX_NEWTON_STEPS = 100;
    private static final double GRADIENT_TOLERANCE = 1e-9;

    /**
     * The review rule and its validation figures.
     *
     * @param temperature    softmax temperature applied before the threshold
     * @param classBias      per-class logit offsets after the temperature, label order, centred on 0
     *                       (null = none)
     * @param minProbability calibrated top probability below which a cell goes to review
     * @param validation     report of the calibrated probabilities at that threshold (review = error)
     * @param nllBefore      mean negative log-likelihood of the true class at T = 1, no offsets
     * @param nllAfter       the same calibrated
     */
    public record Choice(double temperature, double[] classBias, double minProbability, ClassifierReport validation,
                         double nllBefore, double nllAfter) {
    }

    /** A fitted calibration: temperature and offsets (label order, centred on 0). */
    public record Fit(double temperature, double[] classBias) {
    }

    private ReviewCalibration() {
    }

    /**
     * Fits T and the class offsets on the raw (T = 1) probability rows and applies the cost-ratio
     * threshold.
     */
    public static Choice calibrate(List<String> labels, int[] truth, float[][] rawProbs) {
        Fit fit = fit(labels.size(), truth, rawProbs);
        return apply(labels, truth, rawProbs, fit.temperature(), fit.classBias(), MIN_PROBABILITY);
    }

    /** The figures of a given temperature without offsets on raw probability rows. */
    public static Choice apply(List<String> labels, int[] truth, float[][] rawProbs, double temperature,
                               double minProbability) {
        return apply(labels, truth, rawProbs, temperature, null, minProbability);
    }

    /** The figures of a given rule (e.g. one calibrated on another bundle) on raw probability rows. */
    public static Choice apply(List<String> labels, int[] truth, float[][] rawProbs, double temperature,
                               double[] classBias, double minProbability) {
        float[][] calibrated = new float[rawProbs.length][];
        for (int i = 0; i < rawProbs.length; i++) {
            calibrated[i] = PredictionDecoder.calibrated(rawProbs[i], temperature, classBias);
        }
        return new Choice(temperature, classBias == null ? null : classBias.clone(), minProbability,
                ClassifierEvaluator.reportAtThreshold(labels, truth, calibrated, minProbability),
                meanNll(truth, rawProbs, 1.0, null), meanNll(truth, rawProbs, temperature, classBias));
    }

    /**
     * T and the offsets b minimizing the mean NLL of q = softmax(s log p + b), s = 1/T, plus
     * {@link #OFFSET_RIDGE} |b|^2. The logits are linear in (s, b), so the objective is convex;
     * damped Newton from the temperature-only fit (b = 0) converges in a few steps and never ends
     * above it. Offsets are returned centred on 0 (adding a constant to all changes nothing).
     */
    public static Fit fit(int classes, int[] truth, float[][] rawProbs) {
        double t0 = fitTemperature(truth, rawProbs);
        int k = classes;
        double[][] z = new double[truth.length][k];
        for (int i = 0; i < truth.length; i++) {
            if (rawProbs[i].length != k) {
                throw new IllegalArgumentException("row " + i + " has " + rawProbs[i].length + " values for " + k + " classes");
            }
            for (int c = 0; c < k; c++) {
                z[i][c] = Math.log(Math.max(rawProbs[i][c], Float.MIN_VALUE));
            }
        }
        double[] theta = new double[k + 1];
        theta[0] = 1 / t0;
        double f = objective(truth, z, theta);
        for (int step = 0; step < MAX_NEWTON_STEPS; step++) {
            double[] g = new double[k + 1];
            double[][] h = new double[k + 1][k + 1];
            gradientAndHessian(truth, z, theta, g, h);
            double gmax = 0;
            for (double v : g) {
                gmax = Math.max(gmax, Math.abs(v));
            }
            if (gmax < GRADIENT_TOLERANCE) {
                break;
            }
            double[] d = solve(h, negate(g));
            double a = 1;
            double[] next = null;
            double fNext = Double.POSITIVE_INFINITY;
            for (int halving = 0; halving < 40; halving++, a /= 2) {
                double[] cand = theta.clone();
                for (int j = 0; j <= k; j++) {
                    cand[j] += a * d[j];
                }
                if (cand[0] <= 1 / MAX_TEMPERATURE || cand[0] >= 1 / MIN_TEMPERATURE) {
                    continue;
                }
                double fc = objective(truth, z, cand);
                if (fc <= f) {
                    next = cand;
                    fNext = fc;
                    break;
                }
            }
            if (next == null) {
                break; // no descent left within float precision
            }
            boolean done = f - fNext < 1e-15;
            theta = next;
            f = fNext;
            if (done) {
                break;
            }
        }
        double[] b = new double[k];
        double mean = 0;
        for (int c = 0; c < k; c++) {
            mean += theta[c + 1] / k;
        }
        for (int c = 0; c < k; c++) {
            b[c] = theta[c + 1] - mean;
        }
        return new Fit(1 / theta[0], b);
    }

    private static double objective(int[] truth, double[][] z, double[] theta) {
        int k = theta.length - 1;
        double sum = 0;
        double[] q = new double[k];
        for (int i = 0; i < truth.length; i++) {
            sum -= Math.log(Math.max(softmax(z[i], theta, q)[truth[i]], Double.MIN_NORMAL));
        }
        double ridge = 0;
        for (int c = 1; c <= k; c++) {
            ridge += theta[c] * theta[c];
        }
        return sum / truth.length + OFFSET_RIDGE * ridge;
    }

    /** q = softmax(s z + b) for theta = (s, b), written into {@code q} and returned. */
    private static double[] softmax(double[] z, double[] theta, double[] q) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < q.length; c++) {
            q[c] = theta[0] * z[c] + theta[c + 1];
            max = Math.max(max, q[c]);
        }
        double s = 0;
        for (int c = 0; c < q.length; c++) {
            q[c] = Math.exp(q[c] - max);
            s += q[c];
        }
        for (int c = 0; c < q.length; c++) {
            q[c] /= s;
        }
        return q;
    }

    /**
     * Gradient and Hessian of {@link #objective} in (s, b). Per cell, the logits' Jacobian is
     * J = [z | I] and d2/du2 of the log-sum-exp is diag(q) - q q^T, so H += J^T (diag(q) - q q^T) J.
     */
    private static void gradientAndHessian(int[] truth, double[][] z, double[] theta, double[] g, double[][] h) {
        int k = theta.length - 1;
        int n = truth.length;
        double[] q = new double[k];
        for (int i = 0; i < n; i++) {
            softmax(z[i], theta, q);
            double qz = 0;
            for (int c = 0; c < k; c++) {
                qz += q[c] * z[i][c];
            }
            g[0] += (qz - z[i][truth[i]]) / n;
            double qzz = 0;
            for (int c = 0; c < k; c++) {
                qzz += q[c] * z[i][c] * z[i][c];
            }
            h[0][0] += (qzz - qz * qz) / n;
            for (int c = 0; c < k; c++) {
                double r = (q[c] - (truth[i] == c ? 1 : 0)) / n;
                g[c + 1] += r;
                double hsb = q[c] * (z[i][c] - qz) / n;
                h[0][c + 1] += hsb;
                h[c + 1][0] += hsb;
                for (int d = 0; d < k; d++) {
                    h[c + 1][d + 1] += ((c == d ? q[c] : 0) - q[c] * q[d]) / n;
                }
            }
        }
        for (int c = 1; c <= k; c++) {
            g[c] += 2 * OFFSET_RIDGE * theta[c];
            h[c][c] += 2 * OFFSET_RIDGE;
        }
    }

    private static double[] negate(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = -v[i];
        }
        return out;
    }

    /** Solves a x = y by Gaussian elimination with partial pivoting (a is small and positive definite). */
    static double[] solve(double[][] a, double[] y) {
        int n = y.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = java.util.Arrays.copyOf(a[i], n + 1);
            m[i][n] = y[i];
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            double[] tmp = m[col];
            m[col] = m[pivot];
            m[pivot] = tmp;
            if (m[col][col] == 0) {
                throw new ArithmeticException("singular calibration Hessian");
            }
            for (int r = col + 1; r < n; r++) {
                double factor = m[r][col] / m[col][col];
                for (int c = col; c <= n; c++) {
                    m[r][c] -= factor * m[col][c];
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = m[r][n];
            for (int c = r + 1; c < n; c++) {
                s -= m[r][c] * x[c];
            }
            x[r] = s / m[r][r];
        }
        return x;
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
        return meanNll(truth, rawProbs, t, null);
    }

    /** Mean of -ln(calibrated probability of the true class) at temperature t and offsets (null = none). */
    public static double meanNll(int[] truth, float[][] rawProbs, double t, double[] classBias) {
        double sum = 0;
        for (int i = 0; i < truth.length; i++) {
            sum -= PredictionDecoder.logCalibrated(rawProbs[i], t, classBias)[truth[i]];
        }
        return sum / truth.length;
    }
}
