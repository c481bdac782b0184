package org.hematovision.capture.synthetic;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.hematovision.classify.InferenceConfig;
import org.hematovision.classify.Prediction;
import org.hematovision.classify.TfCellClassifier;
import org.hematovision.image.BgrImage;
import org.hematovision.segment.CellKind;
import org.hematovision.segment.CropRule;

/**
 * How well the real classifier recognises the synthetic white cells: renders fields at the default scale
 * with every white-cell class equally likely, cuts each true white cell with the segmenter's
 * {@link CropRule} (side from the true red-cell diameter) and counts, per drawn class, how often the
 * classifier's most probable label is that class. Used by {@link SyntheticRecognitionTest}; its
 * {@link #main} prints the table (and optionally writes a mosaic of the crops) for tuning by eye.
 */
final class SyntheticRecognition {

    /** The white-cell classes the generator draws (platelets are not white cells). */
    static final List<String> WHITE_CLASSES = SmearParams.CLASSES.stream().filter(c -> !c.equals("platelet")).toList();

    /** Per drawn class: cells, top-label hits, hits accepted without review, and the confusion row. */
    record ClassScore(int cells, int hits, int acceptedHits, Map<String, Integer> predicted) {

        double accuracy() {
            return cells == 0 ? Double.NaN : (double) hits / cells;
        }
    }

    record Result(Map<String, ClassScore> perClass, List<BgrImage> crops, List<String> truth, List<Prediction> predictions) {

        double minAccuracy() {
            return perClass.values().stream().mapToDouble(ClassScore::accuracy).min().orElse(Double.NaN);
        }

        double balancedAccuracy() {
            return perClass.values().stream().mapToDouble(ClassScore::accuracy).average().orElse(Double.NaN);
        }

        String table() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-13s %5s %8s %9s  %s%n", "class", "cells",
                    "top-1", "accepted", "predicted (top label)"));
            perClass.forEach((c, s) -> sb.append(String.format(Locale.ROOT, "%-13s %5d %7.1f%% %8.1f%%  %s%n", c, s.cells(),
                    100.0 * s.accuracy(), 100.0 * s.acceptedHits() / Math.max(1, s.cells()), s.predicted())));
            sb.append(String.format(Locale.ROOT, "balanced top-1 accuracy %.1f%%, worst class %.1f%%%n",
                    100 * balancedAccuracy(), 100 * minAccuracy()));
            return sb.toString();
        }
    }

    private SyntheticRecognition() {
    }

    /**
     * Renders {@code fields} fields of {@code perField} white cells each (seeds {@code firstSeed...}) and
     * classifies every true white cell.
     */
    static Result measure(TfCellClassifier classifier, int fields, int perField, long firstSeed) {
        Map<String, Double> mix = new LinkedHashMap<>();
        WHITE_CLASSES.forEach(c -> mix.put(c, 1.0));
        SmearParams params = SmearParams.defaults().withClassMix(mix).withCounts(perField,
                SmearParams.DEFAULT_RBC_COUNT, SmearParams.DEFAULT_PLATELET_COUNT);
        SyntheticSmear smear = new SyntheticSmear(params);
        double rbcPx = SyntheticSmear.RBC_DIAMETER_UM / params.micronsPerPixel();
        List<BgrImage> crops = new ArrayList<>();
        List<String> truth = new ArrayList<>();
        List<Prediction> predictions = new ArrayList<>();
        for (int f = 0; f < fields; f++) {
            SyntheticField field = smear.generate(firstSeed + f);
            List<BgrImage> fieldCrops = new ArrayList<>();
            for (TruthCell c : field.cells()) {
                if (c.kind() == CellKind.WBC) {
                    fieldCrops.add(CropRule.cut(field.image(), c.box(), rbcPx));
                    truth.add(c.label());
                }
            }
            crops.addAll(fieldCrops);
            predictions.addAll(classifier.classify(fieldCrops));
        }
        Map<String, int[]> counts = new TreeMap<>();
        Map<String, Map<String, Integer>> confusion = new TreeMap<>();
        for (int i = 0; i < truth.size(); i++) {
            String t = truth.get(i);
            Prediction p = predictions.get(i);
            int[] k = counts.computeIfAbsent(t, x -> new int[3]);
            k[0]++;
            if (p.topLabel().equals(t)) {
                k[1]++;
                if (!p.review()) {
                    k[2]++;
                }
            }
            confusion.computeIfAbsent(t, x -> new TreeMap<>()).merge(p.topLabel(), 1, Integer::sum);
        }
        Map<String, ClassScore> perClass = new LinkedHashMap<>();
        for (String c : WHITE_CLASSES) {
            int[] k = counts.getOrDefault(c, new int[3]);
            perClass.put(c, new ClassScore(k[0], k[1], k[2], confusion.getOrDefault(c, Map.of())));
        }
        return new Result(perClass, crops, truth, predictions);
    }

    /** Usage: {@code SyntheticRecognition [fields] [perField] [firstSeed] [mosaic.png]}. */
    public static void main(String[] args) throws IOException {
        int fields = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int perField = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1000;
        try (TfCellClassifier classifier = TfCellClassifier.open(InferenceConfig.defaults())) {
            long t0 = System.nanoTime();
            Result r = measure(classifier, fields, perField, seed);
            System.out.print(r.table());
            System.out.printf(Locale.ROOT, "%d cells in %.1f s%n", r.truth().size(), (System.nanoTime() - t0) / 1e9);
            if (args.length > 3) {
                writeMosaic(r, Path.of(args[3]));
            }
        }
    }

    /** Crops grouped by drawn class (one row per class), each captioned by its predicted top label. */
    private static void writeMosaic(Result r, Path out) throws IOException {
        int cols = 8;
        int s = 128;
        BufferedImage img = new BufferedImage(cols * s, WHITE_CLASSES.size() * s, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        for (int row = 0; row < WHITE_CLASSES.size(); row++) {
            int col = 0;
            for (int i = 0; i < r.truth().size() && col < cols; i++) {
                if (!r.truth().get(i).equals(WHITE_CLASSES.get(row))) {
                    continue;
                }
                BgrImage c = r.crops().get(i);
                BufferedImage b = new BufferedImage(c.width(), c.height(), BufferedImage.TYPE_3BYTE_BGR);
                byte[] dst = ((java.awt.image.DataBufferByte) b.getRaster().getDataBuffer()).getData();
                System.arraycopy(c.pixels(), 0, dst, 0, dst.length);
                g.drawImage(b, col * s, row * s, s, s, null);
                g.setColor(r.predictions().get(i).topLabel().equals(r.truth().get(i)) ? java.awt.Color.GREEN
                        : java.awt.Color.RED);
                g.drawString(r.predictions().get(i).topLabel(), col * s + 3, row * s + 12);
                col++;
            }
        }
        g.dispose();
        ImageIO.write(img, "png", out.toFile());
    }
}
