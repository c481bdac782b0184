package org.hematovision.train;

/** Accuracy figures over probability rows (top-1, no review). */
public final class Metrics {

    private Metrics() {
    }

    public static int argmax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    public static double accuracy(float[][] probs, int[] labels) {
        int ok = 0;
        for (int i = 0; i < labels.length; i++) {
            if (argmax(probs[i]) == labels[i]) {
                ok++;
            }
        }
        return (double) ok / labels.length;
    }

    /** Mean of per-class recalls over classes present in {@code labels}. */
    public static double balancedAccuracy(float[][] probs, int[] labels, int classes) {
        int[] total = new int[classes];
        int[] ok = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            total[labels[i]]++;
            if (argmax(probs[i]) == labels[i]) {
                ok[labels[i]]++;
            }
        }
        double sum = 0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
            if (total[c] > 0) {
                sum += (double) ok[c] / total[c];
                present++;
            }
        }
        return sum / present;
    }
}
