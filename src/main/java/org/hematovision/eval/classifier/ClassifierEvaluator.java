package org.hematovision.eval.classifier;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.hematovision.classify.CellClassifier;
import org.hematovision.classify.Prediction;
import org.hematovision.image.BgrImage;
import org.hematovision.train.PbcManifest;

/**
 * Runs a {@link CellClassifier} (the appliance's own path: bundle preprocessing, TF session, review
 * decision) over labelled single-cell images and scores it.
 */
public final class ClassifierEvaluator {

    /** Batch size of evaluation calls (one call per batch, like one field with many cells). */
    public static final int BATCH = 16;

    /** Per-image outcome: true labels, probability rows and the classifier's predictions, in order. */
    public record Scored(int[] truth, float[][] probabilities, List<Prediction> predictions) {
    }

    private ClassifierEvaluator() {
    }

    public static Scored score(CellClassifier classifier, List<PbcManifest.Entry> entries, Perturbation perturbation,
                               Consumer<String> log) {
        List<String> labels = classifier.metadata().labels();
        if (!labels.equals(PbcManifest.LABELS)) {
            throw new IllegalArgumentException("model labels " + labels + " differ from the PBC labels " + PbcManifest.LABELS);
        }
        int n = entries.size();
        int[] truth = new int[n];
        float[][] probs = new float[n][];
        List<Prediction> preds = new ArrayList<>(n);
        long t0 = System.nanoTime();
        for (int from = 0; from < n; from += BATCH) {
            int b = Math.min(BATCH, n - from);
            BgrImage[] imgs = new BgrImage[b];
            int first = from;
            IntStream.range(0, b).parallel().forEach(k -> {
                PbcManifest.Entry e = entries.get(first + k);
                imgs[k] = perturbation.apply(read(e), 1_000_003L * (first + k) + perturbation.ordinal());
            });
            List<Prediction> out = classifier.classify(Arrays.asList(imgs));
            for (int k = 0; k < b; k++) {
                truth[from + k] = entries.get(from + k).label();
                probs[from + k] = out.get(k).probabilities();
                preds.add(out.get(k));
            }
            if (log != null && (from / BATCH) % 20 == 0) {
                log.accept(String.format("%s: %d/%d cells, %.0f s", perturbation.description(), from + b, n,
                        (System.nanoTime() - t0) / 1e9));
            }
        }
        return new Scored(truth, probs, preds);
    }

    private static BgrImage read(PbcManifest.Entry e) {
        try {
            BufferedImage img = ImageIO.read(e.path().toFile());
            if (img == null) {
                throw new IOException("not a readable image: " + e.path());
            }
            return BgrImage.fromBufferedImage(img);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + e.path(), ex);
        }
    }

    /** Report from the classifier's own decisions (review as it decided). */
    public static ClassifierReport report(List<String> labels, Scored scored) {
        int c = labels.size();
        int[][] conf = new int[c][c + 1];
        for (int i = 0; i < scored.truth().length; i++) {
            Prediction p = scored.predictions().get(i);
            int col = p.review() ? c : labels.indexOf(p.label());
            conf[scored.truth()[i]][col]++;
        }
        return new ClassifierReport(labels, conf);
    }

    /** Report with review decided by a top-probability threshold over raw probability rows. */
    public static ClassifierReport reportAtThreshold(List<String> labels, int[] truth, float[][] probs, double minProbability) {
        int c = labels.size();
        int[][] conf = new int[c][c + 1];
        for (int i = 0; i < truth.length; i++) {
            int top = 0;
            for (int k = 1; k < c; k++) {
                if (probs[i][k] > probs[i][top]) {
                    top = k;
                }
            }
            conf[truth[i]][probs[i][top] < minProbability ? c : top]++;
        }
        return new ClassifierReport(labels, conf);
    }
}
