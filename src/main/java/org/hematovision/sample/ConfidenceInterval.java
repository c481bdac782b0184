package org.hematovision.sample;

/**
 * Exact (Clopper–Pearson) binomial confidence interval for {@code count} of {@code total} cells,
 * as proportions 0..1. This is the interval behind Rümke's table for differential counts: it never
 * undercovers, which matters when a clinician reads "0 basophils in 100" as "none".
 *
 * <p>Computed from the binomial tails directly (bisection on p, tails summed in log space), so
 * it needs no beta-distribution library; {@code total} up to a few thousand is cheap.
 *
 * @param lower lower bound, 0 when {@code count == 0}
 * @param upper upper bound, 1 when {@code count == total}
 */
public record ConfidenceInterval(double lower, double upper) {

    /** Confidence level used in reports (95%, as in Rümke's table). */
    public static final double DEFAULT_LEVEL = 0.95;

    private static final int BISECTION_STEPS = 200;

    public ConfidenceInterval {
        if (!(lower >= 0 && lower <= upper && upper <= 1)) {
            throw new IllegalArgumentException("bad interval [" + lower + ", " + upper + "]");
        }
    }

    public static ConfidenceInterval clopperPearson(int count, int total, double level) {
        if (total < 0 || count < 0 || count > total) {
            throw new IllegalArgumentException("need 0 <= count <= total, got " + count + "/" + total);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("confidence level must be in (0, 1), got " + level);
        }
        if (total == 0) {
            return new ConfidenceInterval(0, 1);
        }
        double tail = (1 - level) / 2;
        double[] logFact = logFactorials(total);
        // lower: P(X >= count | p) = tail; that tail grows with p.
        double lower = count == 0 ? 0 : solve(p -> upperTail(count, total, p, logFact), tail, true);
        // upper: P(X <= count | p) = tail; that tail shrinks as p grows.
        double upper = count == total ? 1 : solve(p -> lowerTail(count, total, p, logFact), tail, false);
        return new ConfidenceInterval(lower, upper);
    }

    public double lowerPercent() {
        return 100 * lower;
    }

    public double upperPercent() {
        return 100 * upper;
    }

    private static double solve(java.util.function.DoubleUnaryOperator f, double target, boolean increasing) {
        double lo = 0;
        double hi = 1;
        for (int i = 0; i < BISECTION_STEPS && hi - lo > 1e-13; i++) {
            double mid = (lo + hi) / 2;
            boolean below = f.applyAsDouble(mid) < target;
            if (below == increasing) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    /** P(X >= k) for X ~ Bin(n, p). */
    private static double upperTail(int k, int n, double p, double[] logFact) {
        double sum = 0;
        for (int i = k; i <= n; i++) {
            sum += pmf(i, n, p, logFact);
        }
        return Math.min(1, sum);
    }

    /** P(X <= k) for X ~ Bin(n, p). */
    private static double lowerTail(int k, int n, double p, double[] logFact) {
        double sum = 0;
        for (int i = 0; i <= k; i++) {
            sum += pmf(i, n, p, logFact);
        }
        return Math.min(1, sum);
    }

    private static double pmf(int i, int n, double p, double[] logFact) {
        if (p <= 0) {
            return i == 0 ? 1 : 0;
        }
        if (p >= 1) {
            return i == n ? 1 : 0;
        }
        return Math.exp(logFact[n] - logFact[i] - logFact[n - i] + i * Math.log(p) + (n - i) * Math.log1p(-p));
    }

    private static double[] logFactorials(int n) {
        double[] lf = new double[n + 1];
        for (int i = 2; i <= n; i++) {
            lf[i] = lf[i - 1] + Math.log(i);
        }
        return lf;
    }
}
