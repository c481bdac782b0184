package org.hematovision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hematovision.classify.ColourModelAccess;
import org.hematovision.classify.ModelBundleWriter;
import org.hematovision.classify.ModelMetadataBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short soak of CI: 1,500 small synthetic fields through the whole appliance (TF, OpenCV, the
 * in-process broker, PNG display, record store with a new sample every 100 fields). Fails when
 * resident, heap or native memory, descriptors or threads keep growing over the second half.
 */
class SoakTest {

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void fifteenHundredFieldsShowNoGrowthAfterWarmUp(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("model");
        ColourModelAccess.exportSavedModel(model);
        ModelBundleWriter.write(model, new ModelMetadataBuilder("colour-soak", "0.1",
                List.of("red", "green", "blue", "grey")).inputSize(32, 32).abnormalLabels("blue").build());
        Path png = dir.resolve("soak.png");
        CliRunner.Result r = CliRunner.run("soak", "--fields", "1500", "--sample-every", "100", "--size", "256x192",
                "--model", model.toString(), "--png", png.toString(), "--data", dir.resolve("data").toString());
        assertEquals(0, r.exitCode(), () -> r.out() + "\n" + r.err());
        assertTrue(r.out().contains("RESULT: flat"), r.out());
        assertTrue(r.out().contains("fields analysed 1500 "), r.out());
        assertTrue(r.out().lines().filter(l -> l.matches("\\s+\\d+\\s+[\\d.]+\\s+.*")).count() >= 15, r.out());
        assertTrue(Files.size(png) > 5_000);
        // Samples turned over as in a clinic, and retention kept the records.
        long records;
        try (var s = Files.walk(dir.resolve("data").resolve("records"))) {
            records = s.filter(p -> p.getFileName().toString().equals("manifest.json")).count();
        }
        assertTrue(records >= 14, records + " records");
    }
}
