package org.hematovision.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hematovision.board.BoardConfig;
import org.hematovision.classify.InferenceConfig;
import org.hematovision.display.DisplayConfig;
import org.hematovision.mqtt.MqttConfig;
import org.junit.jupiter.api.Test;

/** Every configuration key the code reads is documented, and the example file is valid. */
class ConfigurationDocTest {

    static Set<String> allKeys() {
        Settings s = Settings.of(Map.of());
        AppConfig.from(s);
        Set<String> keys = new TreeSet<>(s.knownKeys());
        keys.addAll(MqttConfig.KEYS);
        keys.addAll(DisplayConfig.KEYS);
        keys.addAll(BoardConfig.KEYS);
        keys.addAll(Set.of(InferenceConfig.KEY_MODEL, InferenceConfig.KEY_DEVICE, InferenceConfig.KEY_THREADS));
        return keys;
    }

    @Test
    void everyKeyIsInConfigurationMd() throws Exception {
        String doc = Files.readString(Path.of("docs/configuration.md"));
        Set<String> missing = new TreeSet<>();
        for (String key : allKeys()) {
            if (!doc.contains("`" + key + "`")) {
                missing.add(key);
            }
        }
        assertEquals(Set.of(), missing, "keys missing from docs/configuration.md");
    }

    @Test
    void exampleFileLoadsWithoutErrors() {
        Settings s = Settings.load(Path.of("docs/hematovision.conf.example"), Map.of());
        AppConfig cfg = AppConfig.from(s);
        assertTrue(cfg.dataDir().toString().contains("hematovision"), cfg.dataDir().toString());
    }
}
