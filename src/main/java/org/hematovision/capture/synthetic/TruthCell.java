package org.hematovision.capture.synthetic;

import org.hematovision.image.Box;
import org.hematovision.segment.CellKind;

/**
 * One cell drawn into a synthetic field.
 *
 * @param kind  white cell, red cell or platelet
 * @param label for white cells one of the 8 PBC class names ({@link SmearParams#CLASSES}); {@code platelet}
 *              for platelets, {@code rbc} for red cells
 * @param box   bounding box of the whole cell (cytoplasm included), clipped to the image
 */
public record TruthCell(CellKind kind, String label, Box box) {
}
