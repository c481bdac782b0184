package org.hematovision.capture.synthetic;

import java.util.List;
import org.hematovision.image.BgrImage;

/**
 * A generated smear field and what was drawn in it.
 *
 * @param image          the field as the camera would see it
 * @param micronsPerPixel the scale it was drawn at
 * @param cells          every cell drawn, in drawing order (red cells first)
 */
public record SyntheticField(BgrImage image, double micronsPerPixel, List<TruthCell> cells) {

    public SyntheticField {
        cells = List.copyOf(cells);
    }
}
