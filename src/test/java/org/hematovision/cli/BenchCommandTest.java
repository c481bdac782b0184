package org.hematovision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.hematovision.capture.synthetic.SmearParams;
import org.hematovision.capture.synthetic.SyntheticSmear;
import org.hematovision.classify.ColourModelAccess;
import org.hematovision.classify.ModelBundleWriter;
import org.hematovision.classify.ModelMetadataBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench} over the real appliance: it reaches --fields across samples, or fails and says why. */
class BenchCommandTest {

    @TempDir
    static Path shared;

    static Path model;
    /** Three small still fields, each with white cells. */
    static Path fields;

    @BeforeAll
    static void modelAndFields() throws IOException {
        model = shared.resolve("model");
        ColourModelAccess.exportSavedModel(model);
        ModelBundleWriter.write(model, new ModelMetadataBuilder("colour-bench", "0.1",
                List.of("red", "green", "blue", "grey")).inputSize(32, 32).minProbability(0).build());
        fields = Files.createDirectories(shared.resolve("fields"));
        SyntheticSmear smear = new SyntheticSmear(SmearParams.defaults().withSize(320, 240).withCounts(2, 20, 2));
        for (int i = 1; i <= 3; i++) {
            ImageIO.write(smear.generate(i).image().toBufferedImage(), "png", fields.resolve("f" + i + ".png").toFile());
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void samplesThatFinishMidBenchAreFollowedByTheNextSoEveryFieldIsAnalysed() {
        // One leukocyte per sample: every field closes its sample. Without a next sample the later
        // fields would be idle, never analysed (with the synthetic source: a bench that never ends).
        CliRunner.Result r = CliRunner.run("bench", "--images", fields.toString(), "--fields", "3", "--warmup", "0",
                "--target-cells", "1", "--model", model.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        Matcher m = Pattern.compile("fields analysed +(\\d+) \\(\\d+ frames, (\\d+) white cells, (\\d+) samples finished\\)")
                .matcher(r.out());
        assertTrue(m.find(), r.out());
        assertEquals(3, Integer.parseInt(m.group(1)), r.out());
        assertTrue(Integer.parseInt(m.group(2)) >= 3, "every field has white cells: " + r.out());
        assertTrue(Integer.parseInt(m.group(3)) >= 2, r.out());
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aFolderWithFewerFieldsThanRequestedFailsAndSaysSo() {
        CliRunner.Result r = CliRunner.run("bench", "--images", fields.toString(), "--fields", "5", "--warmup", "0",
                "--model", model.toString());
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("only 3 of 5 fields analysed (end of source; 3 frames read from " + fields + ")"),
                r.err());
    }

    @Test
    void fieldsBelowOneIsRejected() {
        CliRunner.Result r = CliRunner.run("bench", "--images", fields.toString(), "--fields", "0", "--warmup", "0",
                "--model", model.toString());
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("--fields must be >= 1"), r.err());
    }
}
