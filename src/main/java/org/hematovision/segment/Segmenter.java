package org.hematovision.segment;

import org.hematovision.image.BgrImage;

/**
 * Classical localization of white cells, red cells and platelets in one field image.
 * Implementations keep all native memory inside {@link #segment} and are safe to call from one
 * thread at a time.
 */
public interface Segmenter {

    Segmentation segment(BgrImage field);
}
