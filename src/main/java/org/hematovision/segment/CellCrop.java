package org.hematovision.segment;

import org.hematovision.image.BgrImage;

/**
 * A square-ish patch around one white cell, cut from the field for the classifier.
 *
 * @param region the white cell it shows
 * @param image  the pixels (the cell centred, with some background around it)
 */
public record CellCrop(CellRegion region, BgrImage image) {
}
