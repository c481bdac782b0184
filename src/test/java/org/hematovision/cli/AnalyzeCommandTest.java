package org.hematovision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.hematovision.capture.synthetic.SmearParams;
import org.hematovision.capture.synthetic.SyntheticSmear;
import org.hematovision.classify.ColourModelAccess;
import org.hematovision.classify.ModelBundleWriter;
import org.hematovision.classify.ModelMetadataBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code analyze} counts one field as the appliance ({@code run}) counts it. */
class AnalyzeCommandTest {

    /**
     * One synthetic field with a single white cell, which the colour model calls its fourth class
     * (its crop pools grey); that class is named {@code platelet} and excluded, as in the shipped bundle.
     */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aWhiteCellCandidateCalledAnExcludedLabelIsAPlateletInAnalyzeAsInRun(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("model");
        ColourModelAccess.exportSavedModel(model);
        ModelBundleWriter.write(model, new ModelMetadataBuilder("colour-plt", "0.1",
                List.of("red", "green", "blue", "platelet")).inputSize(32, 32).excludedLabels("platelet")
                .minProbability(0).build());
        Path fields = Files.createDirectories(dir.resolve("fields"));
        ImageIO.write(new SyntheticSmear(SmearParams.defaults().withSize(320, 240).withCounts(1, 0, 0))
                .generate(1).image().toBufferedImage(), "png", fields.resolve("f1.png").toFile());
        Path json = dir.resolve("analyze.json");

        CliRunner.Result r = CliRunner.run("analyze", "--model", model.toString(), "--json", json.toString(),
                fields.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode field = new ObjectMapper().readTree(json.toFile()).get(0);
        JsonNode cell = field.path("cells").get(0);
        assertEquals("platelet", cell.path("label").asText(), "precondition: the classifier calls it platelet: " + field);
        assertEquals("platelet", cell.path("kind").asText(), field.toString());
        assertEquals(0, field.path("counts").path("wbc").asInt(), field.toString());
        assertEquals(1, field.path("counts").path("platelet").asInt(), field.toString());
        assertTrue(r.out().contains("f1.png: 0 WBC, 0 RBC, 1 PLT"), r.out());

        // The appliance over the same image says the same.
        CliRunner.Result run = CliRunner.run("run", "--fields", "1", "--model", model.toString(),
                "--source", "images:" + fields, "--set", "data.dir=" + dir.resolve("data"),
                "--set", "mqtt.port=" + RunCommandTest.freePort());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("field 0: 0 WBC [], 0 RBC, 1 PLT"), run.out());
    }
}
