package org.hematovision.classify;

import java.util.List;
import org.hematovision.image.BgrImage;

/**
 * Classifies white-cell crops. All crops of one field go in one call (one batch).
 *
 * <p>Contract: returns one prediction per crop, in order; an empty list in gives an empty list out
 * without running the model. Native memory (tensors) is released before the call returns.
 * {@link #close()} is idempotent; using the classifier after close throws {@link IllegalStateException}.
 */
public interface CellClassifier extends AutoCloseable {

    List<Prediction> classify(List<BgrImage> crops);

    ModelMetadata metadata();

    @Override
    void close();
}
