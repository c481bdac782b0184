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
        // A fresh JVM as the service runs it: no other test's threads, files or garbage in the figures, and a
        // fixed heap (-Xms = -Xmx, as in the systemd unit) so the resident memory does not breathe with the heap.
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m", "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "soak", "--fields", "1500", "--sample-every", "100", "--size", "256x192",
                "--model", model.toString(), "--png", png.toString(), "--data", dir.resolve("data").toString())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().put("MALLOC_ARENA_MAX", "2");
        Process child = pb.start();
        boolean done = child.waitFor(7, TimeUnit.MINUTES);
        if (!done) {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String out = Files.readString(dir.resolve("out.txt"));
        System.out.println(out);
        assertTrue(done, "soak did not finish in 7 minutes:\n" + out);
        String err = Files.readString(dir.resolve("err.txt"));
        assertEquals(0, child.exitValue(), () -> out + "\n" + err.substring(Math.max(0, err.length() - 4000)));
        assertTrue(out.contains("RESULT: flat"), out);
        assertTrue(out.contains("fields analysed 1500 "), out);
        assertTrue(out.lines().filter(l -> l.matches("\\s+\\d+\\s+[\\d.]+\\s+.*")).count() >= 15, out);
        assertTrue(Files.size(png) > 5_000);
        // Samples turned over as in a clinic, and retention kept the records.
        long records;
        try (var s = Files.walk(dir.resolve("data").resolve("records"))) {
            records = s.filter(p -> p.getFileName().toString().equals("manifest.json")).count();
        }
        assertTrue(records >= 14, records + " records");
    }
}
