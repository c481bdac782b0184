package org.hematovision.classify;

import java.util.Arrays;
import java.util.List;

/**
 * The classifier's verdict on one white-cell crop.
 *
 * @param label         the most probable label, or {@link #REVIEW} when the prediction is not trustworthy
 * @param topLabel      the most probable label even when sent to review
 * @param probability   probability of {@code topLabel}
 * @param probabilities one probability per label of the model, in {@link ModelMetadata#labels()} order
 * @param review        true when the cell must be looked at by a person (counted as "unidentified")
 * @param abnormal      true when {@code label} is one the model marks abnormal (e.g. ig, erythroblast)
 */
public record Prediction(String label, String topLabel, float probability, float[] probabilities,
                         boolean review, boolean abnormal) {

    /** Label given to cells sent to review instead of a class. */
    public static final String REVIEW = "review";

    public Prediction {
        probabilities = probabilities.clone();
    }

    @Override
    public float[] probabilities() {
        return probabilities.clone();
    }

    public List<Float> probabilityList() {
        Float[] boxed = new Float[probabilities.length];
        for (int i = 0; i < probabilities.length; i++) {
            boxed[i] = probabilities[i];
        }
        return List.of(boxed);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prediction p && p.label.equals(label) && p.topLabel.equals(topLabel)
                && p.probability == probability && Arrays.equals(p.probabilities, probabilities)
                && p.review == review && p.abnormal == abnormal;
    }

    @Override
    public int hashCode() {
        return label.hashCode() * 31 + Arrays.hashCode(probabilities);
    }

    @Override
    public String toString() {
        return "Prediction[" + label + (review ? " (review, top " + topLabel + ")" : "") + " p=" + probability + "]";
    }
}
