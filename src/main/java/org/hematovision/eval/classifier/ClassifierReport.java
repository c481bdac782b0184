package org.hematovision.eval.classifier;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.hematovision.sample.ConfidenceInterval;

/**
 * Scores of a classifier on labelled cells. Cells sent to review count as errors in every accuracy
 * figure (recall, balanced accuracy, F1); the review rate is reported beside them.
 *
 * @param confusion rows = true class, columns = predicted class, last column = review
 */
public record ClassifierReport(List<String> labels, int[][] confusion) {

    /** Resamples behind {@link #balancedAccuracyInterval()}: enough for a stable second decimal. */
    static final int BOOTSTRAP_RESAMPLES = 10_000;

    /** Fixed, so the same confusion matrix always reports the same interval. */
    private static final long BOOTSTRAP_SEED = 0x5EED_B007L;

    public int classes() {
        return labels.size();
    }

    public int support(int c) {
        int n = 0;
        for (int v : confusion[c]) {
            n += v;
        }
        return n;
    }

    public int total() {
        int n = 0;
        for (int c = 0; c < classes(); c++) {
            n += support(c);
        }
        return n;
    }

    public double recall(int c) {
        int s = support(c);
        return s == 0 ? Double.NaN : (double) confusion[c][c] / s;
    }

    /** Correct among the cells given class {@code c} (review is not a prediction of any class). */
    public double precision(int c) {
        int predicted = 0;
        for (int t = 0; t < classes(); t++) {
            predicted += confusion[t][c];
        }
        return predicted == 0 ? 0 : (double) confusion[c][c] / predicted;
    }

    public double f1(int c) {
        double p = precision(c), r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public double balancedAccuracy() {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < classes(); c++) {
            if (support(c) > 0) {
                sum += recall(c);
                n++;
            }
        }
        return sum / n;
    }

    /** Exact 95% interval (Clopper–Pearson) of class {@code c}'s recall, review counted as an error. */
    public ConfidenceInterval recallInterval(int c) {
        return ConfidenceInterval.clopperPearson(confusion[c][c], support(c), ConfidenceInterval.DEFAULT_LEVEL);
    }

    /**
     * 95% interval of {@link #balancedAccuracy()} from a stratified bootstrap: each class's cells are
     * resampled with replacement (so every class keeps its support) and the percentile interval of
     * the resampled balanced accuracies is taken. With about 150 test cells per class one cell moves
     * balanced accuracy by about 0.08 points, and this interval says how far the figure itself can be
     * trusted. A class with no error adds no spread, so the interval is too narrow when whole classes
     * are perfect; the exact per-class intervals do not have that blind spot.
     */
    public ConfidenceInterval balancedAccuracyInterval() {
        int[] n = new int[classes()];
        double[] p = new double[classes()];
        int present = 0;
        for (int c = 0; c < classes(); c++) {
            n[c] = support(c);
            if (n[c] > 0) {
                p[c] = (double) confusion[c][c] / n[c];
                present++;
            }
        }
        if (present == 0) {
            return new ConfidenceInterval(0, 1);
        }
        SplittableRandom rnd = new SplittableRandom(BOOTSTRAP_SEED);
        double[] resampled = new double[BOOTSTRAP_RESAMPLES];
        for (int b = 0; b < BOOTSTRAP_RESAMPLES; b++) {
            double sum = 0;
            for (int c = 0; c < classes(); c++) {
                if (n[c] == 0) {
                    continue;
                }
                // drawing n cells with replacement from a class with k right: right ~ Binomial(n, k/n)
                int right = 0;
                for (int i = 0; i < n[c]; i++) {
                    if (rnd.nextDouble() < p[c]) {
                        right++;
                    }
                }
                sum += (double) right / n[c];
            }
            resampled[b] = sum / present;
        }
        java.util.Arrays.sort(resampled);
        double tail = (1 - ConfidenceInterval.DEFAULT_LEVEL) / 2;
        int lo = (int) Math.floor(tail * BOOTSTRAP_RESAMPLES);
        int hi = (int) Math.ceil((1 - tail) * BOOTSTRAP_RESAMPLES) - 1;
        return new ConfidenceInterval(resampled[lo], resampled[hi]);
    }

    public double macroF1() {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < classes(); c++) {
            if (support(c) > 0) {
                sum += f1(c);
                n++;
            }
        }
        return sum / n;
    }

    public double accuracy() {
        int ok = 0;
        for (int c = 0; c < classes(); c++) {
            ok += confusion[c][c];
        }
        return (double) ok / total();
    }

    public int reviewed() {
        int n = 0;
        for (int c = 0; c < classes(); c++) {
            n += confusion[c][classes()];
        }
        return n;
    }

    public double reviewRate() {
        return (double) reviewed() / total();
    }

    /** Accuracy on the cells not sent to review (reported beside, never instead of, the figures above). */
    public double acceptedAccuracy() {
        int accepted = total() - reviewed();
        int ok = 0;
        for (int c = 0; c < classes(); c++) {
            ok += confusion[c][c];
        }
        return accepted == 0 ? Double.NaN : (double) ok / accepted;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cells", total());
        m.put("balancedAccuracy", balancedAccuracy());
        ConfidenceInterval bi = balancedAccuracyInterval();
        m.put("balancedAccuracyInterval95", List.of(bi.lower(), bi.upper()));
        m.put("macroF1", macroF1());
        m.put("accuracy", accuracy());
        m.put("reviewRate", reviewRate());
        m.put("acceptedAccuracy", acceptedAccuracy());
        List<Map<String, Object>> per = new ArrayList<>();
        for (int c = 0; c < classes(); c++) {
            Map<String, Object> pc = new LinkedHashMap<>();
            pc.put("label", labels.get(c));
            pc.put("precision", precision(c));
            pc.put("recall", recall(c));
            ConfidenceInterval ri = recallInterval(c);
            pc.put("recallInterval95", List.of(ri.lower(), ri.upper()));
            pc.put("f1", f1(c));
            pc.put("support", support(c));
            pc.put("reviewed", confusion[c][classes()]);
            per.add(pc);
        }
        m.put("perClass", per);
        List<String> cols = new ArrayList<>(labels);
        cols.add("review");
        m.put("confusionColumns", cols);
        m.put("confusion", confusion);
        return m;
    }

    /** A Markdown table of per-class figures and the confusion matrix. */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| class | precision | recall | recall, 95% interval | F1 | support | reviewed |\n|---|---|---|---|---|---|---|\n");
        for (int c = 0; c < classes(); c++) {
            ConfidenceInterval ri = recallInterval(c);
            sb.append(String.format(java.util.Locale.ROOT, "| %s | %.2f%% | %.2f%% | %.1f–%.1f%% | %.2f%% | %d | %d |%n",
                    labels.get(c), 100 * precision(c), 100 * recall(c), ri.lowerPercent(), ri.upperPercent(), 100 * f1(c),
                    support(c), confusion[c][classes()]));
        }
        ConfidenceInterval bi = balancedAccuracyInterval();
        sb.append(String.format(java.util.Locale.ROOT, "%nbalanced accuracy %.2f%% (95%% interval %.2f–%.2f%%, stratified bootstrap), macro F1 %.2f%%, accuracy %.2f%%, review rate %.2f%% (%d of %d), accuracy on accepted cells %.2f%%%n",
                100 * balancedAccuracy(), 100 * bi.lower(), 100 * bi.upper(), 100 * macroF1(), 100 * accuracy(), 100 * reviewRate(), reviewed(), total(),
                100 * acceptedAccuracy()));
        sb.append("\n| true \\ predicted |");
        for (String l : labels) {
            sb.append(' ').append(l).append(" |");
        }
        sb.append(" review |\n|---|");
        sb.append("---|".repeat(classes() + 1)).append('\n');
        for (int c = 0; c < classes(); c++) {
            sb.append("| ").append(labels.get(c)).append(" |");
            for (int p = 0; p <= classes(); p++) {
                sb.append(' ').append(confusion[c][p]).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
