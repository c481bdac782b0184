package org.hematovision.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.hematovision.image.BgrImage;
import org.hematovision.testing.TestData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The trained bundle on real PBC test-split cells: a sanity check that this preprocessing matches
 * the trainer's (a channel-order or normalization mismatch drops accuracy towards chance, 1/8), not
 * the evaluation of record. Skips visibly without the shared data or the bundle.
 */
class PbcBundleTest {

    static final int PER_CLASS = 10;
    /** Far above chance (0.125) and well below what a trained MobileNetV2 reaches on PBC. */
    static final double MIN_BALANCED_ACCURACY = 0.6;

    @Test
    void trainedBundleRecognisesTestSplitCells() throws IOException {
        Path data = TestData.assumeShared();
        Path bundle = Path.of(System.getProperty("hematovision.model", InferenceConfig.DEFAULT_MODEL.toString()));
        Assumptions.assumeTrue(Files.isRegularFile(bundle.resolve(ModelBundle.MODEL_JSON)),
                () -> "SKIPPED: no trained bundle at " + bundle.toAbsolutePath() + " (set -Dhematovision.model=DIR)");

        Map<String, List<Path>> byClass = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(data.resolve("pbc/manifest.csv"));
        for (String line : lines.subList(1, lines.size()).stream().sorted().toList()) {
            String[] f = line.split(",");
            if (f[3].equals("test") && byClass.computeIfAbsent(f[1], k -> new ArrayList<>()).size() < PER_CLASS) {
                byClass.get(f[1]).add(data.resolve("pbc").resolve(f[0]));
            }
        }
        try (TfCellClassifier classifier = TfCellClassifier.open(InferenceConfig.defaults().withModel(bundle))) {
            assertEquals(new java.util.TreeSet<>(byClass.keySet()), new java.util.TreeSet<>(classifier.metadata().labels()));
            double sum = 0;
            StringBuilder report = new StringBuilder();
            for (var e : byClass.entrySet()) {
                List<BgrImage> crops = new ArrayList<>();
                for (Path p : e.getValue()) {
                    crops.add(BgrImage.fromBufferedImage(ImageIO.read(p.toFile())));
                }
                long right = classifier.classify(crops).stream().filter(p -> p.topLabel().equals(e.getKey())).count();
                double recall = (double) right / crops.size();
                sum += recall;
                report.append(String.format(" %s=%.2f", e.getKey(), recall));
            }
            double balanced = sum / byClass.size();
            System.out.printf("PBC test split, %d cells per class: balanced accuracy %.3f;%s%n", PER_CLASS, balanced, report);
            assertTrue(balanced >= MIN_BALANCED_ACCURACY, "balanced accuracy " + balanced + ":" + report);
        }
    }
}
