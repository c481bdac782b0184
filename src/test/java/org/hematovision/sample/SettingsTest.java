package org.hematovision.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.hematovision.config.ConfigException;
import org.hematovision.store.StoreConfig;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void missingKeysTakeTheDocumentedDefaults() {
        assertEquals(SampleConfig.defaults(), SampleConfig.fromSettings(Map.of("mqtt.port", "1883")));
        assertEquals(FlagConfig.defaults(), FlagConfig.fromSettings(Map.of()));
        assertEquals(StoreConfig.defaults(), StoreConfig.fromSettings(Map.of()));
    }

    @Test
    void keysOverrideDefaults() {
        SampleConfig s = SampleConfig.fromSettings(Map.of("sample.targetCells", "200", "sample.resumeAfterRestart", "false"));
        assertEquals(200, s.targetCells());
        assertEquals(false, s.resumeAfterRestart());
        FlagConfig f = FlagConfig.fromSettings(Map.of("flags.eosinophil.high", "5", "flags.confidence", "0.99"));
        assertEquals(new ReferenceInterval(1, 5), f.intervals().get("eosinophil"));
        assertEquals(0.99, f.confidence());
        StoreConfig st = StoreConfig.fromSettings(Map.of("store.dir", "/data/hv", "store.maxBytes", "1000"));
        assertEquals(Path.of("/data/hv"), st.dir());
        assertEquals(1000, st.maxBytes());
    }

    @Test
    void badValuesNameTheKeyAndWhatIsAllowed() {
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> SampleConfig.fromSettings(Map.of("sample.target", "100")));
        assertEquals("sample.target", unknown.key());
        assertTrue(unknown.getMessage().contains("sample.targetCells"), unknown.getMessage());
        assertEquals("sample.targetCells", assertThrows(ConfigException.class,
                () -> SampleConfig.fromSettings(Map.of("sample.targetCells", "lots"))).key());
        assertEquals("sample.targetCells", assertThrows(ConfigException.class,
                () -> SampleConfig.fromSettings(Map.of("sample.targetCells", "5000"))).key());
        ConfigException bool = assertThrows(ConfigException.class,
                () -> SampleConfig.fromSettings(Map.of("sample.resumeAfterRestart", "yes")));
        assertTrue(bool.getMessage().contains("allowed: true, false"), bool.getMessage());
        assertEquals("flags.lymphocyte.low", assertThrows(ConfigException.class,
                () -> FlagConfig.fromSettings(Map.of("flags.lymphocyte.low", "50"))).key());
        assertEquals("flags.blast.high", assertThrows(ConfigException.class,
                () -> FlagConfig.fromSettings(Map.of("flags.blast.high", "1"))).key());
        assertEquals("store.retentionDays", assertThrows(ConfigException.class,
                () -> StoreConfig.fromSettings(Map.of("store.retentionDays", "-3"))).key());
    }
}
