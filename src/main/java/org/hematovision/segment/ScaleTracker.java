package org.hematovision.segment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The running scale of one slide: the median of the per-field scale estimates seen so far in one sample,
 * trusted once {@code minFields} fields have given one. A median is not moved by the few fields whose own
 * estimate is wrong (fused red-cell sheets, crowded fields). One tracker per sample: a new sample (maybe another
 * slide, another objective) starts from nothing ({@link #reset()}). Not thread-safe; owned by one pipeline.
 */
public final class ScaleTracker {

    /** A slide's scale is settled long before this; beyond it a sample without limits adds nothing more. */
    static final int MAX_FIELDS = 1000;

    private final int minFields;
    private final double tolerance;
    /** Per-field estimates, kept sorted for the median. */
    private final List<Double> sorted = new ArrayList<>();

    /**
     * @param minFields fields with a measured scale needed before the slide scale is trusted
     * @param tolerance a field's own scale is used when within this fraction of the slide's ({@link ScaleHint})
     */
    public ScaleTracker(int minFields, double tolerance) {
        if (minFields < 1) {
            throw new IllegalArgumentException("minFields must be >= 1: " + minFields);
        }
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("tolerance must be >= 0: " + tolerance);
        }
        this.minFields = minFields;
        this.tolerance = tolerance;
    }

    /** A tracker with {@code segment.slideScaleMinFields} and {@code segment.slideScaleTolerance}. */
    public static ScaleTracker of(SegmenterConfig config) {
        return new ScaleTracker(config.slideScaleMinFields(), config.slideScaleTolerance());
    }

    /** Adds one field's own estimate ({@link Segmentation#fieldMicronsPerPixel()}); NaN (unmeasured) is ignored. */
    public void add(double fieldMicronsPerPixel) {
        if (!(fieldMicronsPerPixel > 0) || !Double.isFinite(fieldMicronsPerPixel) || sorted.size() >= MAX_FIELDS) {
            return;
        }
        int at = Collections.binarySearch(sorted, fieldMicronsPerPixel);
        sorted.add(at >= 0 ? at : -at - 1, fieldMicronsPerPixel);
    }

    /** Adds the field's own estimate from its segmentation. */
    public void add(Segmentation segmentation) {
        add(segmentation.fieldMicronsPerPixel());
    }

    /** How many fields have given an estimate since the last reset. */
    public int fields() {
        return sorted.size();
    }

    /** The slide's scale: median of the estimates, or NaN until {@code minFields} fields have given one. */
    public double slideMicronsPerPixel() {
        int n = sorted.size();
        if (n < minFields) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** What the segmenter should use for the next field of this slide. */
    public ScaleHint hint() {
        double slide = slideMicronsPerPixel();
        return Double.isNaN(slide) ? ScaleHint.none() : new ScaleHint(slide, tolerance);
    }

    /** Forgets every estimate: the next sample starts fresh. */
    public void reset() {
        sorted.clear();
    }
}
