package org.hematovision.sample;

import java.util.Optional;
import org.hematovision.classify.Prediction;
import org.hematovision.segment.CellRegion;

/**
 * One white cell of a field and what the classifier said of it. A border-cut cell with too little
 * visible has no prediction: it is counted as a white cell to review.
 */
public record CellCall(CellRegion region, Optional<Prediction> prediction) {

    /** The label it is counted under: the predicted label, or {@link Prediction#REVIEW}. */
    public String countedLabel() {
        return prediction.map(Prediction::label).orElse(Prediction.REVIEW);
    }

    public boolean abnormal() {
        return prediction.map(Prediction::abnormal).orElse(false);
    }

    public boolean review() {
        return prediction.map(Prediction::review).orElse(true);
    }
}
