package org.hematovision.eval.segmentation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import org.hematovision.eval.segmentation.BccdDataset.FieldTruth;
import org.hematovision.image.BgrImage;
import org.hematovision.image.Box;
import org.hematovision.segment.CellRegion;
import org.hematovision.segment.ScaleHint;
import org.hematovision.segment.ScaleTracker;
import org.hematovision.segment.Segmentation;
import org.hematovision.segment.Segmenter;
import org.hematovision.segment.SegmenterConfig;

/**
 * Scores a {@link Segmenter} against BCCD boxes: white cells by one-to-one matching at IoU >= {@value #MIN_IOU}
 * (recall, precision, mean IoU of matches); red cells and platelets only by count (their boxes are incomplete).
 * Fields are segmented in order either each on its own scale ({@link ScaleMode#PER_FIELD}) or as one session of one
 * slide ({@link ScaleMode#PER_SLIDE}), the way the pipeline runs a sample: all BCCD fields come from one microscope
 * and camera at one magnification.
 */
public final class SegmentationEvaluation {

    public static final double MIN_IOU = 0.5;

    /** How the fields' scale is found. */
    public enum ScaleMode {
        /** Every field on its own red-cell estimate. */
        PER_FIELD("per field"),
        /** The fields in order as one sample: a {@link ScaleTracker} gives each field the slide's scale so far. */
        PER_SLIDE("per slide");

        private final String label;

        ScaleMode(String label) {
            this.label = label;
        }

        /** "per field" or "per slide", as the README and the command's table state it. */
        public String label() {
            return label;
        }

        public static ScaleMode ofLabel(String label) {
            for (ScaleMode m : values()) {
                if (m.label.equals(label.trim().toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
            throw new IllegalArgumentException("scale mode \"" + label + "\" (allowed: per field, per slide)");
        }
    }

    /**
     * Result for one field.
     *
     * @param micronsPerPixel      scale the segmenter used
     * @param fieldMicronsPerPixel the field's own estimate (differs from {@code micronsPerPixel} where the slide's
     *                             scale was used)
     */
    public record FieldResult(String id, List<Box> truthWbc, List<Box> foundWbc, List<BoxMatcher.Match> matches,
                              int truthRbc, int foundRbc, int truthPlatelets, int foundPlatelets,
                              double micronsPerPixel, double fieldMicronsPerPixel, double millis) {

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

    /** A run over fields in order: one result per field and the scale hint each field was given. */
    public record Run(ScaleMode mode, List<FieldResult> results, List<ScaleHint> hints) {

        /** Fields whose own scale estimate was replaced by the slide's. */
        public long slideScaleUsed() {
            return results.stream().filter(r -> Double.compare(r.micronsPerPixel(), r.fieldMicronsPerPixel()) != 0
                    && !Double.isNaN(r.micronsPerPixel())).count();
        }
    }

    public static FieldResult evaluate(Segmenter segmenter, FieldTruth truth, BgrImage image) {
        return evaluate(segmenter, truth, image, ScaleHint.none());
    }

    public static FieldResult evaluate(Segmenter segmenter, FieldTruth truth, BgrImage image, ScaleHint hint) {
        long t0 = System.nanoTime();
        Segmentation s = segmenter.segment(image, hint);
        double ms = (System.nanoTime() - t0) / 1e6;
        List<Box> tw = truth.boxes("WBC");
        List<Box> fw = s.whiteCells().stream().map(CellRegion::box).toList();
        return new FieldResult(truth.id(), tw, fw, BoxMatcher.match(tw, fw, MIN_IOU), truth.boxes("RBC").size(),
                s.redCells().size(), truth.boxes("Platelets").size(), s.platelets().size(), s.micronsPerPixel(),
                s.fieldMicronsPerPixel(), ms);
    }

    /**
     * Segments {@code fields} in order ({@code images.apply(i)} is field i's image, loaded when needed). In
     * {@link ScaleMode#PER_SLIDE} they are one sample: a fresh {@link ScaleTracker} with {@code config}'s
     * {@code slideScale*} settings collects every field's own estimate and hints the next field.
     */
    public static Run run(Segmenter segmenter, SegmenterConfig config, ScaleMode mode, List<FieldTruth> fields,
                          IntFunction<BgrImage> images) {
        ScaleTracker tracker = ScaleTracker.of(config);
        List<FieldResult> results = new ArrayList<>(fields.size());
        List<ScaleHint> hints = new ArrayList<>(fields.size());
        for (int i = 0; i < fields.size(); i++) {
            ScaleHint hint = mode == ScaleMode.PER_SLIDE ? tracker.hint() : ScaleHint.none();
            FieldResult r = evaluate(segmenter, fields.get(i), images.apply(i), hint);
            tracker.add(r.fieldMicronsPerPixel());
            results.add(r);
            hints.add(hint);
        }
        return new Run(mode, results, hints);
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
