package org.hematovision.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Structural check of a payload against one of {@code docs/mqtt/*.schema.json}: the keywords those
 * schemas use ({@code type, const, enum, required, properties, items, additionalProperties}), nothing
 * more. Enough to keep the documentation and the code from drifting apart.
 */
final class SchemaCheck {

    static final Path DIR = Path.of("docs", "mqtt");
    private static final ObjectMapper JSON = new ObjectMapper();

    private SchemaCheck() {
    }

    static JsonNode schema(String type) throws IOException {
        return JSON.readTree(DIR.resolve(type + ".schema.json").toFile());
    }

    /** The violations, empty when {@code value} fits. */
    static List<String> violations(JsonNode schema, JsonNode value) {
        List<String> out = new ArrayList<>();
        check(schema, value, "$", out);
        return out;
    }

    private static void check(JsonNode s, JsonNode v, String path, List<String> out) {
        if (s.has("const") && !s.get("const").equals(v)) {
            out.add(path + ": expected " + s.get("const") + ", got " + v);
        }
        if (s.has("enum")) {
            boolean found = false;
            for (JsonNode e : s.get("enum")) {
                found |= e.equals(v);
            }
            if (!found) {
                out.add(path + ": " + v + " not in " + s.get("enum"));
            }
        }
        if (s.has("type")) {
            JsonNode t = s.get("type");
            boolean ok = false;
            if (t.isArray()) {
                for (JsonNode one : t) {
                    ok |= isType(one.asText(), v);
                }
            } else {
                ok = isType(t.asText(), v);
            }
            if (!ok) {
                out.add(path + ": expected type " + t + ", got " + v.getNodeType());
                return;
            }
        }
        if (v.isObject()) {
            if (s.has("required")) {
                for (JsonNode r : s.get("required")) {
                    if (!v.has(r.asText())) {
                        out.add(path + ": missing required \"" + r.asText() + "\"");
                    }
                }
            }
            JsonNode props = s.path("properties");
            for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (props.has(k)) {
                    check(props.get(k), v.get(k), path + "." + k, out);
                } else if (s.has("additionalProperties")) {
                    JsonNode ap = s.get("additionalProperties");
                    if (ap.isBoolean() && !ap.booleanValue()) {
                        out.add(path + ": unexpected \"" + k + "\"");
                    } else if (ap.isObject()) {
                        check(ap, v.get(k), path + "." + k, out);
                    }
                }
            }
        }
        if (v.isArray() && s.has("items")) {
            for (int i = 0; i < v.size(); i++) {
                check(s.get("items"), v.get(i), path + "[" + i + "]", out);
            }
        }
    }

    private static boolean isType(String t, JsonNode v) {
        return switch (t) {
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "string" -> v.isTextual();
            case "boolean" -> v.isBoolean();
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "null" -> v.isNull();
            default -> throw new IllegalArgumentException("schema type " + t + " not handled by SchemaCheck");
        };
    }
}
