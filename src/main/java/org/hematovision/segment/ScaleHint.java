package org.hematovision.segment;

/**
 * The scale of the slide a field comes from, as far as earlier fields of the same sample tell it
 * ({@link ScaleTracker}), and how far a field's own estimate may stray from it and still be used.
 * Within one slide the objective and camera do not change, so the true scale is the same in every field;
 * a single field's estimate is misled by fused red-cell sheets (too large a diameter) or crowded cells (too small).
 *
 * @param slideMicronsPerPixel the slide's scale, or NaN when there is none yet (first fields of a sample)
 * @param tolerance            a field's own scale is used when it lies within this fraction of the slide's; 0: the
 *                             slide's scale for every field (the default: the optics fix one scale per sample, and the
 *                             median of many fields' estimates is closer to it than one field's)
 */
public record ScaleHint(double slideMicronsPerPixel, double tolerance) {

    private static final ScaleHint NONE = new ScaleHint(Double.NaN, 0);

    public ScaleHint {
        if (!Double.isNaN(slideMicronsPerPixel)
                && !(slideMicronsPerPixel > 0 && Double.isFinite(slideMicronsPerPixel))) {
            throw new IllegalArgumentException("slide scale must be positive and finite, or NaN: "
                    + slideMicronsPerPixel);
        }
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("tolerance must be >= 0: " + tolerance);
        }
    }

    /** No slide scale: every field uses its own. */
    public static ScaleHint none() {
        return NONE;
    }

    public boolean present() {
        return !Double.isNaN(slideMicronsPerPixel);
    }

    /**
     * The scale to use for a field whose own estimate is {@code fieldMicronsPerPixel} (NaN when the field could not
     * measure one): its own when there is no slide scale or when it agrees with the slide's, else the slide's.
     */
    public double choose(double fieldMicronsPerPixel) {
        if (!present()) {
            return fieldMicronsPerPixel;
        }
        if (Double.isNaN(fieldMicronsPerPixel)) {
            return slideMicronsPerPixel;
        }
        return Math.abs(fieldMicronsPerPixel / slideMicronsPerPixel - 1) <= tolerance
                ? fieldMicronsPerPixel : slideMicronsPerPixel;
    }
}
