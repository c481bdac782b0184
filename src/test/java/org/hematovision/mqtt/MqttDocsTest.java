package org.hematovision.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The examples in docs/mqtt.md fit the schemas next to them, and every message type has both. */
class MqttDocsTest {

    @Test
    void everyExampleFitsItsSchema() throws Exception {
        String md = Files.readString(Path.of("docs", "mqtt.md"));
        Matcher m = Pattern.compile("```json\\n(.*?)\\n```", Pattern.DOTALL).matcher(md);
        ObjectMapper json = new ObjectMapper();
        Set<String> seen = new HashSet<>();
        while (m.find()) {
            JsonNode n = json.readTree(m.group(1));
            String type = n.has("type") ? n.get("type").asText() : "command";
            seen.add(type);
            assertEquals(List.of(), SchemaCheck.violations(SchemaCheck.schema(type), n), type + " example");
        }
        assertEquals(Set.of("status", "sample", "field", "differential", "alert", "report", "dropped", "command"), seen);
        for (String t : seen) {
            assertTrue(Files.exists(SchemaCheck.DIR.resolve(t + ".schema.json")), t);
        }
    }
}
