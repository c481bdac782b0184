package org.hematovision.segment;

import org.hematovision.image.Box;

/**
 * One object found in a field.
 *
 * @param kind      white cell, red cell or platelet
 * @param box       bounding box in field pixels (for white cells: nucleus plus cytoplasm)
 * @param borderCut true when the object touches the field border (counted once; classified only if enough is visible)
 */
public record CellRegion(CellKind kind, Box box, boolean borderCut) {
}
