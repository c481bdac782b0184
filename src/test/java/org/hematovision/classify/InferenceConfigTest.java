package org.hematovision.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.hematovision.config.ConfigException;
import org.junit.jupiter.api.Test;

class InferenceConfigTest {

    @Test
    void defaults() {
        InferenceConfig c = InferenceConfig.fromMap(Map.of("mqtt.port", "1883"));
        assertEquals(Path.of("models/wbc-mobilenetv2"), c.model());
        assertEquals("auto", c.device());
        assertEquals(InferenceConfig.Device.AUTO, c.deviceKind());
        assertEquals(0, c.threads());
        assertEquals(8, c.maxBatch());
        assertEquals(c, InferenceConfig.defaults());
    }

    @Test
    void readsKeysCaseInsensitiveDevice() {
        InferenceConfig c = InferenceConfig.fromMap(Map.of("inference.model", "/opt/m", "inference.device", " GPU ",
                "inference.threads", "2", "inference.maxBatch", " 16 "));
        assertEquals(Path.of("/opt/m"), c.model());
        assertEquals("gpu", c.device());
        assertEquals(InferenceConfig.Device.GPU, c.deviceKind());
        assertEquals(2, c.threads());
        assertEquals(16, c.maxBatch());
    }

    @Test
    void unknownDeviceNamesKeyAndAllowedValues() {
        ConfigException e = assertThrows(ConfigException.class, () -> new InferenceConfig(Path.of("m"), "tpu", 0));
        assertEquals("inference.device", e.key());
        assertEquals("inference.device: \"tpu\" is not a device (allowed: auto, cpu, gpu)", e.getMessage());
        assertThrows(ConfigException.class, () -> new InferenceConfig(Path.of("m"), null, 0));
    }

    @Test
    void badThreadsAndModel() {
        assertEquals("inference.threads: -1 is out of range (allowed: 0..64)",
                assertThrows(ConfigException.class, () -> new InferenceConfig(Path.of("m"), "cpu", -1)).getMessage());
        assertEquals("inference.threads",
                assertThrows(ConfigException.class, () -> InferenceConfig.fromMap(Map.of("inference.threads", "two"))).key());
        assertEquals("inference.model",
                assertThrows(ConfigException.class, () -> new InferenceConfig(Path.of(""), "cpu", 0)).key());
        assertEquals("inference.maxBatch: 0 is out of range (allowed: 1..256)",
                assertThrows(ConfigException.class, () -> InferenceConfig.fromMap(Map.of("inference.maxBatch", "0"))).getMessage());
        assertEquals("inference.maxBatch: \"many\" is not a number (allowed: 1..256)",
                assertThrows(ConfigException.class, () -> InferenceConfig.fromMap(Map.of("inference.maxBatch", "many"))).getMessage());
    }

    @Test
    void unknownInferenceKeyIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> InferenceConfig.fromMap(Map.of("inference.modle", "x")));
        assertEquals("inference.modle", e.key());
    }
}
