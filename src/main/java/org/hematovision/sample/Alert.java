package org.hematovision.sample;

import java.time.Instant;
import org.hematovision.image.BgrImage;
import org.hematovision.image.Box;

/**
 * A cell the clinician should look at.
 *
 * @param sampleId    sample id
 * @param fieldIndex  field it was found in
 * @param kind        abnormal class, or low-confidence review
 * @param label       the predicted label (for REVIEW: the top label it was unsure about)
 * @param probability the classifier's probability for {@code label}
 * @param box         where in the field
 * @param crop        the cell's pixels (for the display and the gallery)
 * @param time        when it was found
 */
public record Alert(String sampleId, long fieldIndex, Kind kind, String label, float probability, Box box,
                    BgrImage crop, Instant time) {

    public enum Kind {
        ABNORMAL, REVIEW
    }
}
