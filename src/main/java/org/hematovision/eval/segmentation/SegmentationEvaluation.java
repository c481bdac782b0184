package org.hematovision.eval.segmentation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hematovision.eval.segmentation.BccdDataset.FieldTruth;
import org.hematovision.image.BgrImage;
import org.hematovision.image.Box;
import org.hematovision.segment.CellRegion;
import org.hematovision.segment.Segmentation;
import org.hematovision.segment.Segmenter;

/**
 * Scores a {@link Segmenter} against BCCD boxes: white cells by one-to-one matching at IoU >= {@value #MIN_IOU}
 * (recall, precision, mean IoU of matches); red cells and platelets only by count (their boxes are incomplete).
 */
public final class SegmentationEvaluation {

    public static final double MIN_IOU = 0.5;

    /** Result for one field. */
    public record FieldResult(String id, List<Box> truthWbc, List<Box> foundWbc, List<BoxMatcher.Match> matches,
                              int truthRbc, int foundRbc, int truthPlatelets, int foundPlatelets,
                              double micronsPerPixel, double millis) {

        public int missed() {
            return truthWbc.size() - matches.size();
        }

        public int falsePositives() {
            return foundWbc.size() - matches.size();
        }

        /** Misses plus false positives: how badly the field went, for choosing overlays. */
        public int errors() {
            return missed() + falsePositives();
        }

        public double meanIou() {
            return matches.stream().mapToDouble(BoxMatcher.Match::iou).average().orElse(Double.NaN);
        }
    }

    /** Totals over fields. */
    public record Summary(String condition, int fields, int truthWbc, int foundWbc, int matched, double recall,
                          double precision, double meanIou, double rbcMeanAbsCountError, double rbcMeanCountRatio,
                          double plateletMeanAbsCountError, double medianMillis, double medianMicronsPerPixel) {
    }

    /** An error explained by a known BCCD annotation limit rather than by the segmenter. */
    public record KnownLimitCase(String id, String kind, Box box) {
    }

    private SegmentationEvaluation() {
    }

    public static FieldResult evaluate(Segmenter segmenter, FieldTruth truth, BgrImage image) {
        long t0 = System.nanoTime();
        Segmentation s = segmenter.segment(image);
        double ms = (System.nanoTime() - t0) / 1e6;
        List<Box> tw = truth.boxes("WBC");
        List<Box> fw = s.whiteCells().stream().map(CellRegion::box).toList();
        return new FieldResult(truth.id(), tw, fw, BoxMatcher.match(tw, fw, MIN_IOU), truth.boxes("RBC").size(),
                s.redCells().size(), truth.boxes("Platelets").size(), s.platelets().size(), s.micronsPerPixel(), ms);
    }

    public static Summary summarize(String condition, List<FieldResult> results) {
        int truth = 0;
        int found = 0;
        int matched = 0;
        double iouSum = 0;
        double rbcErr = 0;
        double rbcRatio = 0;
        int rbcRatioN = 0;
        double pltErr = 0;
        double[] ms = new double[results.size()];
        List<Double> scales = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            FieldResult r = results.get(i);
            truth += r.truthWbc().size();
            found += r.foundWbc().size();
            matched += r.matches().size();
            iouSum += r.matches().stream().mapToDouble(BoxMatcher.Match::iou).sum();
            rbcErr += Math.abs(r.foundRbc() - r.truthRbc());
            if (r.truthRbc() > 0) {
                rbcRatio += (double) r.foundRbc() / r.truthRbc();
                rbcRatioN++;
            }
            pltErr += Math.abs(r.foundPlatelets() - r.truthPlatelets());
            ms[i] = r.millis();
            if (Double.isFinite(r.micronsPerPixel())) {
                scales.add(r.micronsPerPixel());
            }
        }
        int n = Math.max(1, results.size());
        return new Summary(condition, results.size(), truth, found, matched,
                truth == 0 ? Double.NaN : (double) matched / truth,
                found == 0 ? Double.NaN : (double) matched / found,
                matched == 0 ? Double.NaN : iouSum / matched,
                rbcErr / n, rbcRatioN == 0 ? Double.NaN : rbcRatio / rbcRatioN, pltErr / n, median(ms),
                median(scales.stream().mapToDouble(Double::doubleValue).toArray()));
    }

    /** The misses and false positives that the data README attributes to the annotation, not the segmenter. */
    public static List<KnownLimitCase> knownLimitCases(List<FieldResult> results) {
        List<KnownLimitCase> out = new ArrayList<>();
        for (FieldResult r : results) {
            boolean[] matchedF = new boolean[r.foundWbc().size()];
            boolean[] matchedT = new boolean[r.truthWbc().size()];
            r.matches().forEach(m -> {
                matchedF[m.found()] = true;
                matchedT[m.truth()] = true;
            });
            if (BccdDataset.UNANNOTATED_WHITE_CELLS.contains(r.id())) {
                for (int f = 0; f < matchedF.length; f++) {
                    if (!matchedF[f]) {
                        out.add(new KnownLimitCase(r.id(), "found white cell that is not annotated", r.foundWbc().get(f)));
                    }
                }
            }
            if (BccdDataset.PLATELET_LABELLED_WBC.contains(r.id())) {
                for (int t = 0; t < matchedT.length; t++) {
                    if (!matchedT[t]) {
                        out.add(new KnownLimitCase(r.id(), "missed \"WBC\" box (annotated platelet)", r.truthWbc().get(t)));
                    }
                }
            }
        }
        return out;
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }
}
