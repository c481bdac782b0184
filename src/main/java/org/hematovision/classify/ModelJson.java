package org.hematovision.classify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads and writes {@code model.json} (bundle format 1) and validates its contents. Every problem
 * is reported as a {@link ModelBundleException} naming the file and the field.
 */
final class ModelJson {

    static final int FORMAT = 1;
    static final String COLOR_ORDER = "RGB";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelJson() {
    }

    static ModelMetadata read(Path file) {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            if (java.nio.file.Files.exists(file)) {
                // FileInputStream says "not found" for a directory or a file it may not read, too
                throw new ModelBundleException(file, "cannot be read: " + e.getMessage()
                        + (java.nio.file.Files.isDirectory(file) ? " (it is a directory)" : " (check its permissions)"), e);
            }
            throw new ModelBundleException(file, "not found: this is not a model bundle (expected model.json beside saved_model/)");
        } catch (JsonProcessingException e) {
            throw new ModelBundleException(file, "not valid JSON (" + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ")", e);
        } catch (IOException e) {
            throw new ModelBundleException(file, "cannot be read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelBundleException(file, "must hold a JSON object");
        }
        Fields f = new Fields(file);
        int format = f.integer(root, "format");
        if (format != FORMAT) {
            throw new ModelBundleException(file, "unsupported bundle format " + format + " (this software reads format " + FORMAT + ")");
        }
        JsonNode input = f.object(root, "input");
        String colorOrder = f.text(input, "input.colorOrder");
        if (!COLOR_ORDER.equals(colorOrder)) {
            throw new ModelBundleException(file, "field 'input.colorOrder' is \"" + colorOrder + "\" (allowed: \"RGB\")");
        }
        JsonNode review = f.object(root, "review");
        JsonNode maxEntropyNode = review.get("maxEntropy");
        Double maxEntropy = null;
        if (maxEntropyNode != null && !maxEntropyNode.isNull()) {
            maxEntropy = f.number(review, "review.maxEntropy");
        }
        // absent in bundles written before temperature scaling: their probabilities are used as they are
        JsonNode temperatureNode = review.get("temperature");
        double temperature = temperatureNode == null || temperatureNode.isNull()
                ? 1.0 : f.number(review, "review.temperature");
        // absent in bundles written before bias-corrected calibration: no offsets
        Map<String, Double> classBias = new LinkedHashMap<>();
        JsonNode biasNode = review.get("classBias");
        if (biasNode != null && !biasNode.isNull()) {
            if (!biasNode.isObject()) {
                throw new ModelBundleException(file, "field 'review.classBias' must be an object of label to number");
            }
            biasNode.properties().forEach(e -> {
                // read by value, not by dotted path: a label may itself contain '.'
                if (!e.getValue().isNumber()) {
                    throw new ModelBundleException(file, "field 'review.classBias." + e.getKey() + "' must be a number, got " + e.getValue());
                }
                classBias.put(e.getKey(), e.getValue().asDouble());
            });
        }
        JsonNode filesNode = f.object(root, "files");
        Map<String, String> files = new TreeMap<>();
        filesNode.properties().forEach(e -> {
            if (!e.getValue().isTextual()) {
                throw new ModelBundleException(file, "field 'files." + e.getKey() + "' must be a SHA-256 hex string");
            }
            files.put(e.getKey(), e.getValue().asText());
        });
        ModelMetadata m = new ModelMetadata(format, f.text(root, "name"), f.text(root, "version"),
                f.strings(root, "labels"), f.integer(input, "input.width"), f.integer(input, "input.height"),
                f.floats(input, "input.mean"), f.floats(input, "input.std"),
                Collections.unmodifiableSet(new LinkedHashSet<>(f.strings(root, "abnormalLabels"))),
                Collections.unmodifiableSet(new LinkedHashSet<>(f.strings(root, "excludedLabels"))),
                f.number(review, "review.minProbability"), maxEntropy, temperature,
                Collections.unmodifiableMap(classBias), Collections.unmodifiableMap(files),
                f.freeForm(root, "provenance"), f.freeForm(root, "metrics"));
        validate(m, file);
        return m;
    }

    /** Throws naming {@code where} and the field when the metadata cannot describe a usable model. */
    static void validate(ModelMetadata m, Path where) {
        if (m.format() != FORMAT) {
            fail(where, "unsupported bundle format " + m.format() + " (this software reads format " + FORMAT + ")");
        }
        if (m.name() == null || m.name().isBlank()) {
            fail(where, "field 'name' must not be empty");
        }
        if (m.version() == null || m.version().isBlank()) {
            fail(where, "field 'version' must not be empty");
        }
        if (m.labels() == null || m.labels().isEmpty()) {
            fail(where, "field 'labels' must list at least one class");
        }
        Set<String> seen = new HashSet<>();
        for (String label : m.labels()) {
            if (label == null || label.isBlank()) {
                fail(where, "field 'labels' has an empty label");
            }
            if (label.equals(Prediction.REVIEW)) {
                fail(where, "field 'labels' must not contain \"" + Prediction.REVIEW + "\" (reserved for cells sent to review)");
            }
            if (!seen.add(label)) {
                fail(where, "field 'labels' lists \"" + label + "\" twice");
            }
        }
        if (m.inputWidth() <= 0 || m.inputHeight() <= 0) {
            fail(where, "fields 'input.width' and 'input.height' must be positive, got " + m.inputWidth() + "x" + m.inputHeight());
        }
        checkChannels(where, "input.mean", m.mean());
        checkChannels(where, "input.std", m.std());
        for (float s : m.std()) {
            if (!(s > 0)) {
                fail(where, "field 'input.std' must be > 0 for every channel, got " + java.util.Arrays.toString(m.std()));
            }
        }
        checkSubset(where, "abnormalLabels", m.abnormalLabels(), m.labels());
        checkSubset(where, "excludedLabels", m.excludedLabels(), m.labels());
        if (!(m.reviewThreshold() >= 0 && m.reviewThreshold() <= 1)) {
            fail(where, "field 'review.minProbability' is " + m.reviewThreshold() + " (allowed: 0..1)");
        }
        if (m.maxEntropy() != null && !(m.maxEntropy() >= 0 && m.maxEntropy() <= 1)) {
            fail(where, "field 'review.maxEntropy' is " + m.maxEntropy() + " (allowed: 0..1 or null)");
        }
        if (!(m.temperature() > 0 && m.temperature() < Double.POSITIVE_INFINITY)) {
            fail(where, "field 'review.temperature' is " + m.temperature() + " (allowed: a finite number > 0; absent means 1)");
        }
        if (m.classBias() != null) {
            for (Map.Entry<String, Double> e : m.classBias().entrySet()) {
                if (!m.labels().contains(e.getKey())) {
                    fail(where, "field 'review.classBias' names \"" + e.getKey() + "\", which is not in 'labels'");
                }
                if (e.getValue() == null || !Double.isFinite(e.getValue())) {
                    fail(where, "field 'review.classBias." + e.getKey() + "' is " + e.getValue() + " (allowed: a finite number)");
                }
            }
        }
        if (m.files() == null) {
            fail(where, "field 'files' is missing");
        }
        for (Map.Entry<String, String> e : m.files().entrySet()) {
            checkRelative(where, e.getKey());
            if (e.getValue() == null || !e.getValue().matches("[0-9a-f]{64}")) {
                fail(where, "field 'files." + e.getKey() + "' must be 64 lower-case hex digits (SHA-256), got \"" + e.getValue() + "\"");
            }
        }
    }

    static void write(ModelMetadata m, java.io.OutputStream out) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", m.format());
        root.put("name", m.name());
        root.put("version", m.version());
        stringArray(root.putArray("labels"), m.labels());
        ObjectNode input = root.putObject("input");
        input.put("width", m.inputWidth());
        input.put("height", m.inputHeight());
        input.put("colorOrder", COLOR_ORDER);
        floatArray(input.putArray("mean"), m.mean());
        floatArray(input.putArray("std"), m.std());
        stringArray(root.putArray("abnormalLabels"), m.abnormalLabels());
        stringArray(root.putArray("excludedLabels"), m.excludedLabels());
        ObjectNode review = root.putObject("review");
        review.put("minProbability", m.reviewThreshold());
        if (m.maxEntropy() == null) {
            review.putNull("maxEntropy");
        } else {
            review.put("maxEntropy", m.maxEntropy());
        }
        review.put("temperature", m.temperature());
        if (m.classBias() != null && !m.classBias().isEmpty()) {
            ObjectNode bias = review.putObject("classBias");
            // label order, so the file reads like the labels list
            for (String label : m.labels()) {
                Double v = m.classBias().get(label);
                if (v != null) {
                    bias.put(label, v);
                }
            }
        }
        ObjectNode files = root.putObject("files");
        new TreeMap<>(m.files()).forEach(files::put);
        root.set("provenance", MAPPER.valueToTree(m.provenance() == null ? Map.of() : m.provenance()));
        root.set("metrics", MAPPER.valueToTree(m.metrics() == null ? Map.of() : m.metrics()));
        MAPPER.writeValue(out, root);
    }

    /** Rejects absolute paths and {@code ..} so a bundle can only name files inside itself. */
    static void checkRelative(Path where, String rel) {
        Path p = Path.of(rel);
        if (rel.isEmpty() || p.isAbsolute() || rel.contains("\\") || !p.normalize().toString().equals(rel)
                || rel.startsWith("..")) {
            fail(where, "field 'files' names \"" + rel + "\": must be a normalized path inside the bundle, using '/'");
        }
    }

    private static void checkChannels(Path where, String field, float[] values) {
        if (values == null || values.length != 3) {
            fail(where, "field '" + field + "' must have 3 values (R,G,B), got "
                    + (values == null ? "none" : values.length));
        }
        for (float v : values) {
            if (!Float.isFinite(v)) {
                fail(where, "field '" + field + "' must hold finite numbers, got " + java.util.Arrays.toString(values));
            }
        }
    }

    private static void checkSubset(Path where, String field, Set<String> subset, List<String> labels) {
        if (subset == null) {
            fail(where, "field '" + field + "' is missing");
        }
        for (String s : subset) {
            if (!labels.contains(s)) {
                fail(where, "field '" + field + "' names \"" + s + "\", which is not one of the labels " + labels);
            }
        }
    }

    private static void fail(Path where, String problem) {
        throw new ModelBundleException(where, problem);
    }

    private static void stringArray(ArrayNode a, Iterable<String> values) {
        values.forEach(a::add);
    }

    private static void floatArray(ArrayNode a, float[] values) {
        for (float v : values) {
            a.add(v);
        }
    }

    /** Typed field access with messages naming the file and the dotted field path. */
    private record Fields(Path file) {

        JsonNode require(JsonNode parent, String path) {
            String leaf = path.substring(path.lastIndexOf('.') + 1);
            JsonNode n = parent.get(leaf);
            if (n == null || n.isNull()) {
                throw new ModelBundleException(file, "missing field '" + path + "'");
            }
            return n;
        }

        JsonNode object(JsonNode parent, String path) {
            JsonNode n = require(parent, path);
            if (!n.isObject()) {
                throw new ModelBundleException(file, "field '" + path + "' must be an object, got " + n.getNodeType());
            }
            return n;
        }

        String text(JsonNode parent, String path) {
            JsonNode n = require(parent, path);
            if (!n.isTextual()) {
                throw new ModelBundleException(file, "field '" + path + "' must be a string, got " + n);
            }
            return n.asText();
        }

        int integer(JsonNode parent, String path) {
            JsonNode n = require(parent, path);
            if (!n.isIntegralNumber() || !n.canConvertToInt()) {
                throw new ModelBundleException(file, "field '" + path + "' must be an integer, got " + n);
            }
            return n.intValue();
        }

        double number(JsonNode parent, String path) {
            JsonNode n = require(parent, path);
            if (!n.isNumber()) {
                throw new ModelBundleException(file, "field '" + path + "' must be a number, got " + n);
            }
            return n.doubleValue();
        }

        List<String> strings(JsonNode parent, String path) {
            JsonNode n = require(parent, path);
            if (!n.isArray()) {
                throw new ModelBundleException(file, "field '" + path + "' must be an array of strings, got " + n.getNodeType());
            }
            List<String> out = new ArrayList<>();
            for (JsonNode e : n) {
                if (!e.isTextual()) {
                    throw new ModelBundleException(file, "field '" + path + "' must hold only strings, got " + e);
                }
                out.add(e.asText());
            }
            return List.copyOf(out);
        }

        float[] floats(JsonNode parent, String path) {
            JsonNode n = require(parent, path);
            if (!n.isArray()) {
                throw new ModelBundleException(file, "field '" + path + "' must be an array of numbers, got " + n.getNodeType());
            }
            float[] out = new float[n.size()];
            for (int i = 0; i < out.length; i++) {
                if (!n.get(i).isNumber()) {
                    throw new ModelBundleException(file, "field '" + path + "' must hold only numbers, got " + n.get(i));
                }
                out[i] = n.get(i).floatValue();
            }
            return out;
        }

        /** Optional free-form object: absent reads as empty. */
        Map<String, Object> freeForm(JsonNode parent, String path) {
            JsonNode n = parent.get(path);
            if (n == null || n.isNull()) {
                return Map.of();
            }
            if (!n.isObject()) {
                throw new ModelBundleException(file, "field '" + path + "' must be an object, got " + n.getNodeType());
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = MAPPER.convertValue(n, LinkedHashMap.class);
            return map;
        }
    }
}
