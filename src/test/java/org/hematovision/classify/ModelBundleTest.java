package org.hematovision.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundle format: what the writer produces and every way the loader refuses a broken bundle. */
class ModelBundleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    private static Path template;

    @TempDir
    Path tmp;

    @BeforeAll
    static void exportOnce() throws IOException {
        template = shared.resolve("template");
        ColourModel.writeBundle(template);
    }

    /** A fresh copy of the valid bundle, so each test can damage its own. */
    private Path bundle() throws IOException {
        Path dir = tmp.resolve("models").resolve("colour");
        try (Stream<Path> s = Files.walk(template)) {
            for (Path p : s.toList()) {
                Path target = dir.resolve(template.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return dir;
    }

    private static void editJson(Path dir, Consumer<ObjectNode> edit) throws IOException {
        Path file = dir.resolve(ModelBundle.MODEL_JSON);
        ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
        edit.accept(root);
        JSON.writeValue(file.toFile(), root);
    }

    private static String openFails(Path dir) {
        return assertThrows(ModelBundleException.class, () -> ModelBundle.open(dir)).getMessage();
    }

    @Test
    void writerRecordsEveryFileAndLoaderReadsBackTheMetadata() throws IOException {
        Path dir = bundle();
        ModelBundle b = ModelBundle.open(dir);
        ModelMetadata m = b.metadata();
        assertEquals(1, m.format());
        assertEquals("colour-test", m.name());
        assertEquals(ColourModel.LABELS, m.labels());
        assertEquals(32, m.inputWidth());
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, m.mean());
        assertEquals(Set.of("blue"), m.abnormalLabels());
        assertEquals(Set.of("grey"), m.excludedLabels());
        assertEquals(0.6, m.reviewThreshold());
        assertNull(m.maxEntropy());
        assertEquals(1.0, m.temperature());
        assertEquals("ColourModel test fixture", m.provenance().get("built"));
        assertEquals(ModelBundle.listFiles(dir, dir.resolve("saved_model")), List.copyOf(new java.util.TreeSet<>(m.files().keySet())));
        assertTrue(m.files().containsKey("saved_model/variables/variables.index"));
        for (var e : m.files().entrySet()) {
            assertEquals(ModelBundle.sha256(dir.resolve(e.getKey())), e.getValue());
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(Set.of("model.json", "saved_model"), Set.copyOf(s.map(p -> p.getFileName().toString()).toList()),
                    "no temporary file left behind");
        }
    }

    @Test
    void sha256MatchesAKnownVector() throws IOException {
        Path f = tmp.resolve("abc");
        Files.writeString(f, "abc");
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ModelBundle.sha256(f));
    }

    @Test
    void maxEntropyAndMetricsRoundTrip() throws IOException {
        Path dir = bundle();
        ModelBundleWriter.write(dir, ColourModel.metadata().maxEntropy(0.45).metric("balancedAccuracy", 0.93).build());
        ModelMetadata m = ModelBundle.open(dir).metadata();
        assertEquals(0.45, m.maxEntropy());
        assertEquals(0.93, m.metrics().get("balancedAccuracy"));
    }

    @Test
    void temperatureRoundTripsAndIsOneWhenAbsent() throws IOException {
        Path dir = bundle();
        ModelBundleWriter.write(dir, ColourModel.metadata().temperature(1.75).build());
        assertEquals(1.75, JSON.readTree(dir.resolve("model.json").toFile()).get("review").get("temperature").asDouble());
        assertEquals(1.75, ModelBundle.open(dir).metadata().temperature());
        // bundles written before the field existed
        editJson(dir, root -> ((ObjectNode) root.get("review")).remove("temperature"));
        assertEquals(1.0, ModelBundle.open(dir).metadata().temperature());
    }

    @Test
    void modelJsonIsWorldReadableLikeTheSavedModel() throws IOException {
        Path dir = bundle();
        ModelBundleWriter.write(dir, ColourModel.metadata().build());
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("model.json"))));
    }

    @Test
    void classOffsetsRoundTripByLabelAndAreNoneWhenAbsent() throws IOException {
        Path dir = bundle();
        ModelMetadata built = ColourModel.metadata().build();
        double[] bias = new double[built.labels().size()];
        bias[0] = 0.75;
        bias[bias.length - 1] = -0.25;
        ModelBundleWriter.write(dir, ColourModel.metadata().classBias(bias).build());
        JsonNode written = JSON.readTree(dir.resolve("model.json").toFile()).get("review").get("classBias");
        assertEquals(0.75, written.get(built.labels().get(0)).asDouble());
        assertArrayEquals(bias, ModelBundle.open(dir).metadata().classBiasVector());
        // a file may name only some labels; the others have no offset
        editJson(dir, root -> ((ObjectNode) root.get("review")).putObject("classBias").put(built.labels().get(1), 0.5));
        double[] partial = new double[bias.length];
        partial[1] = 0.5;
        assertArrayEquals(partial, ModelBundle.open(dir).metadata().classBiasVector());
        editJson(dir, root -> ((ObjectNode) root.get("review")).remove("classBias"));
        assertArrayEquals(new double[bias.length], ModelBundle.open(dir).metadata().classBiasVector());
        assertTrue(ModelBundle.open(dir).metadata().classBias().isEmpty());
    }

    @Test
    void classOffsetsMustNameLabelsAndBeNumbers() throws IOException {
        Path dir = bundle();
        String json = dir.resolve("model.json") + ": ";
        editJson(dir, root -> ((ObjectNode) root.get("review")).putObject("classBias").put("myeloblast", 0.5));
        assertEquals(json + "field 'review.classBias' names \"myeloblast\", which is not in 'labels'", openFails(dir));
        String first = ColourModel.metadata().build().labels().get(0);
        editJson(dir, root -> ((ObjectNode) root.get("review")).putObject("classBias").put(first, "high"));
        assertEquals(json + "field 'review.classBias." + first + "' must be a number, got \"high\"", openFails(dir));
        editJson(dir, root -> ((ObjectNode) root.get("review")).putArray("classBias").add(0.5));
        assertEquals(json + "field 'review.classBias' must be an object of label to number", openFails(dir));
    }

    @Test
    void temperatureMustBeAFinitePositiveNumber() throws IOException {
        Path dir = bundle();
        String json = dir.resolve("model.json") + ": ";
        editJson(dir, root -> ((ObjectNode) root.get("review")).put("temperature", 0));
        assertEquals(json + "field 'review.temperature' is 0.0 (allowed: a finite number > 0; absent means 1)", openFails(dir));
        editJson(dir, root -> ((ObjectNode) root.get("review")).put("temperature", -1.5));
        assertEquals(json + "field 'review.temperature' is -1.5 (allowed: a finite number > 0; absent means 1)", openFails(dir));
        editJson(dir, root -> ((ObjectNode) root.get("review")).put("temperature", "2"));
        assertEquals(json + "field 'review.temperature' must be a number, got \"2\"", openFails(dir));
        // JSON cannot spell NaN or infinity; the writer is where they could come from
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
            ModelBundleException e = assertThrows(ModelBundleException.class,
                    () -> ModelBundleWriter.write(dir, ColourModel.metadata().temperature(bad).build()));
            assertEquals(json + "field 'review.temperature' is " + bad + " (allowed: a finite number > 0; absent means 1)",
                    e.getMessage());
        }
    }

    @Test
    void missingDirectory() {
        Path dir = tmp.resolve("models/nothing");
        assertEquals(dir + ": model bundle directory not found", openFails(dir));
    }

    @Test
    void missingModelJson() throws IOException {
        Path dir = bundle();
        Files.delete(dir.resolve("model.json"));
        assertTrue(openFails(dir).startsWith(dir.resolve("model.json") + ": not found"));
    }

    @Test
    void aModelJsonThatExistsButCannotBeReadIsNotCalledMissing() throws IOException {
        Path dir = bundle();
        Files.delete(dir.resolve("model.json"));
        Files.createDirectory(dir.resolve("model.json")); // e.g. a copy gone wrong; a 0600 file owned by root reads the same
        String msg = openFails(dir);
        assertTrue(msg.startsWith(dir.resolve("model.json") + ": cannot be read: ") && msg.endsWith("(it is a directory)"), msg);
    }

    @Test
    void classOffsetsOfALabelWithADotAreRead() throws IOException {
        Path dir = bundle();
        ModelMetadata m = ModelBundle.open(dir).metadata();
        String first = m.labels().get(0);
        // labels are free text: "band.neutrophil" must not be looked up as "neutrophil"
        editJson(dir, root -> {
            ((com.fasterxml.jackson.databind.node.ArrayNode) root.get("labels")).set(0,
                    com.fasterxml.jackson.databind.node.TextNode.valueOf("band." + first));
            ((ObjectNode) root.get("review")).putObject("classBias").put("band." + first, 0.25);
        });
        assertEquals(0.25, ModelBundle.open(dir).metadata().classBiasVector()[0], 1e-12);
    }

    @Test
    void invalidJson() throws IOException {
        Path dir = bundle();
        Files.writeString(dir.resolve("model.json"), "{\"format\": 1, \"labels\": [");
        String msg = openFails(dir);
        assertTrue(msg.startsWith(dir.resolve("model.json") + ": not valid JSON"), msg);
    }

    @Test
    void missingField() throws IOException {
        Path dir = bundle();
        editJson(dir, root -> root.remove("labels"));
        assertEquals(dir.resolve("model.json") + ": missing field 'labels'", openFails(dir));
    }

    @Test
    void missingNestedField() throws IOException {
        Path dir = bundle();
        editJson(dir, root -> ((ObjectNode) root.get("input")).remove("std"));
        assertEquals(dir.resolve("model.json") + ": missing field 'input.std'", openFails(dir));
    }

    @Test
    void badValues() throws IOException {
        Path dir = bundle2("a");
        String json = dir.resolve("model.json") + ": ";
        editJson(dir, root -> ((ObjectNode) root.get("input")).putArray("std").add(0.5).add(0.0).add(0.5));
        assertEquals(json + "field 'input.std' must be > 0 for every channel, got [0.5, 0.0, 0.5]", openFails(dir));

        dir = bundle2("b");
        editJson(dir, root -> ((ObjectNode) root.get("review")).put("minProbability", 1.5));
        assertEquals(dir.resolve("model.json") + ": field 'review.minProbability' is 1.5 (allowed: 0..1)", openFails(dir));

        dir = bundle2("c");
        editJson(dir, root -> root.putArray("abnormalLabels").add("ig"));
        assertTrue(openFails(dir).endsWith("field 'abnormalLabels' names \"ig\", which is not one of the labels [red, green, blue, grey]"));

        dir = bundle2("d");
        editJson(dir, root -> root.putArray("labels").add("red").add("red").add("blue").add("grey"));
        assertTrue(openFails(dir).endsWith("field 'labels' lists \"red\" twice"));

        dir = bundle2("e");
        editJson(dir, root -> root.putArray("labels"));
        assertTrue(openFails(dir).endsWith("field 'labels' must list at least one class"));

        dir = bundle2("f");
        editJson(dir, root -> root.put("format", 2));
        assertTrue(openFails(dir).endsWith("unsupported bundle format 2 (this software reads format 1)"));

        dir = bundle2("g");
        editJson(dir, root -> ((ObjectNode) root.get("input")).put("colorOrder", "BGR"));
        assertTrue(openFails(dir).endsWith("field 'input.colorOrder' is \"BGR\" (allowed: \"RGB\")"));

        dir = bundle2("h");
        editJson(dir, root -> ((ObjectNode) root.get("input")).put("width", "224"));
        assertTrue(openFails(dir).endsWith("field 'input.width' must be an integer, got \"224\""));

        dir = bundle2("i");
        editJson(dir, root -> ((ObjectNode) root.get("input")).put("height", 0));
        assertTrue(openFails(dir).endsWith("fields 'input.width' and 'input.height' must be positive, got 32x0"));

        dir = bundle2("j");
        editJson(dir, root -> ((ObjectNode) root.get("input")).putArray("mean").add(0.5));
        assertTrue(openFails(dir).endsWith("field 'input.mean' must have 3 values (R,G,B), got 1"));

        dir = bundle2("k");
        editJson(dir, root -> ((ObjectNode) root.get("review")).put("maxEntropy", -0.1));
        assertTrue(openFails(dir).endsWith("field 'review.maxEntropy' is -0.1 (allowed: 0..1 or null)"));

        dir = bundle2("l");
        editJson(dir, root -> ((ObjectNode) root.get("files")).put("../etc/passwd", "0".repeat(64)));
        assertTrue(openFails(dir).contains("names \"../etc/passwd\": must be a normalized path inside the bundle"));
    }

    private Path bundle2(String name) throws IOException {
        Path dir = bundle();
        Path moved = tmp.resolve("models").resolve(name);
        Files.move(dir, moved);
        return moved;
    }

    @Test
    void corruptVariablesFileIsNamedWithBothChecksums() throws IOException {
        Path dir = bundle();
        Path data = dir.resolve("saved_model/variables/variables.data-00000-of-00001");
        String expected = ModelBundle.sha256(data);
        byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length / 2] ^= (byte) 0xff;
        Files.write(data, bytes);
        String actual = ModelBundle.sha256(data);
        assertFalse(expected.equals(actual));
        assertEquals(data + ": checksum mismatch (expected " + expected + ", got " + actual
                + "): the bundle is corrupt, reinstall it", openFails(dir));
    }

    @Test
    void truncatedSavedModelIsCorrupt() throws IOException {
        Path dir = bundle();
        Path pb = dir.resolve("saved_model/saved_model.pb");
        Files.write(pb, new byte[10]);
        assertTrue(openFails(dir).startsWith(pb + ": checksum mismatch"));
    }

    @Test
    void missingSavedModelDirectory() throws IOException {
        Path dir = bundle();
        deleteTree(dir.resolve("saved_model"));
        assertEquals(dir.resolve("saved_model") + ": missing: the bundle has no SavedModel directory, reinstall it", openFails(dir));
    }

    @Test
    void missingListedFile() throws IOException {
        Path dir = bundle();
        Path index = dir.resolve("saved_model/variables/variables.index");
        Files.delete(index);
        assertEquals(index + ": missing: the bundle is incomplete, reinstall it", openFails(dir));
    }

    @Test
    void unlistedFileMeansTheSavedModelChanged() throws IOException {
        Path dir = bundle();
        Path extra = dir.resolve("saved_model/variables/variables.data-00001-of-00002");
        Files.write(extra, new byte[] {1, 2, 3});
        assertTrue(openFails(dir).startsWith(extra + ": not listed in model.json 'files'"));
    }

    @Test
    void writerRefusesADirectoryWithoutSavedModel() {
        Path dir = tmp.resolve("empty");
        ModelBundleException e = assertThrows(ModelBundleException.class,
                () -> ModelBundleWriter.write(dir, ColourModel.metadata().build()));
        assertTrue(e.getMessage().startsWith(dir.resolve("saved_model/saved_model.pb") + ": missing: export the SavedModel"));
    }

    @Test
    void writerRefusesInvalidMetadataAndKeepsTheOldModelJson() throws IOException {
        Path dir = bundle();
        byte[] before = Files.readAllBytes(dir.resolve("model.json"));
        ModelBundleException e = assertThrows(ModelBundleException.class, () -> ModelBundleWriter.write(dir,
                ColourModel.metadata().excludedLabels("platelet").build()));
        assertTrue(e.getMessage().endsWith("field 'excludedLabels' names \"platelet\", which is not one of the labels [red, green, blue, grey]"));
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("model.json")));
    }

    @Test
    void rewritingAfterReexportUpdatesTheChecksums() throws IOException {
        Path dir = bundle();
        String oldPb = ModelBundle.open(dir).metadata().files().get(ModelBundle.SAVED_MODEL_PB);
        deleteTree(dir.resolve("saved_model"));
        ColourModel.exportSavedModel(dir, org.tensorflow.ndarray.Shape.of(-1, 32, 32, 3), 4);
        Files.writeString(dir.resolve("saved_model/variables/variables.index"), "changed", java.nio.file.StandardOpenOption.APPEND);
        assertTrue(openFails(dir).contains("checksum mismatch"));
        ModelBundle b = ModelBundleWriter.write(dir, ColourModel.metadata().build());
        assertEquals(ModelBundle.sha256(dir.resolve(ModelBundle.SAVED_MODEL_PB)), b.metadata().files().get(ModelBundle.SAVED_MODEL_PB));
        assertTrue(oldPb.matches("[0-9a-f]{64}"));
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
