package org.hematovision.capture.synthetic;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.util.Map;
import org.hematovision.classify.InferenceConfig;
import org.hematovision.classify.TfCellClassifier;
import org.junit.jupiter.api.Test;

/**
 * The committed classifier, trained on real PBC photographs only, recognises the synthetic white cells:
 * a regression guard for the generator's drawing (floors well below what it reaches, see
 * {@link SyntheticRecognition} for the full table). Lymphocytes are not yet recognised (the classifier
 * calls them erythroblasts), so they have no floor of their own.
 */
class SyntheticRecognitionTest {

    /** Per-class floors for the top-1 accuracy on synthetic cells; the generator reaches about 0.7-1.0. */
    private static final Map<String, Double> FLOORS = Map.of("basophil", 0.7, "eosinophil", 0.8, "erythroblast", 0.8,
            "ig", 0.4, "monocyte", 0.7, "neutrophil", 0.75);

    @Test
    void classifierRecognisesSyntheticWhiteCells() {
        assumeTrue(Files.isDirectory(InferenceConfig.DEFAULT_MODEL), "no model bundle at " + InferenceConfig.DEFAULT_MODEL);
        try (TfCellClassifier classifier = TfCellClassifier.open(new InferenceConfig(InferenceConfig.DEFAULT_MODEL, "cpu", 2))) {
            SyntheticRecognition.Result r = SyntheticRecognition.measure(classifier, 30, 6, 5000);
            System.out.print(r.table());
            FLOORS.forEach((label, floor) -> {
                SyntheticRecognition.ClassScore s = r.perClass().get(label);
                assertTrue(s.cells() >= 10, label + ": only " + s.cells() + " cells drawn");
                assertTrue(s.accuracy() >= floor, label + " top-1 " + s.accuracy() + " < " + floor + "\n" + r.table());
            });
            assertTrue(r.balancedAccuracy() >= 0.65, "balanced top-1 " + r.balancedAccuracy() + "\n" + r.table());
        }
    }
}
