package org.hematovision.segment;

import org.hematovision.image.BgrImage;

/**
 * Classical localization of white cells, red cells and platelets in one field image.
 * Implementations keep all native memory inside {@link #segment} and are safe to call from one
 * thread at a time.
 */
public interface Segmenter {

    /** Segments a field on its own (its own scale estimate only). */
    Segmentation segment(BgrImage field);

    /**
     * Segments a field of a slide whose scale earlier fields have measured ({@link ScaleTracker}). A segmenter
     * that does not use a scale ignores the hint.
     */
    default Segmentation segment(BgrImage field, ScaleHint slideScale) {
        return segment(field);
    }
}
