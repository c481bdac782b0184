package org.hematovision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.hematovision.config.AppConfig;
import org.hematovision.config.ConfigException;
import org.hematovision.config.Settings;
import org.hematovision.pipeline.RunLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store or outbox directory set apart from data.dir that cannot even be created is a configuration
 * mistake: start-up names the key, instead of running with storage "failing" and nothing saved.
 */
class DirectoryKeysTest {

    @TempDir
    Path tmp;

    @Test
    void anUncreatableStoreOrOutboxDirectoryNamesItsKey() throws Exception {
        Path notADir = Files.writeString(tmp.resolve("plain-file"), "x");
        for (String key : new String[] {"store.dir", "mqtt.outbox.dir"}) {
            AppConfig cfg = AppConfig.from(Settings.of(Map.of("data.dir", tmp.resolve("data").toString(),
                    key, notADir.resolve("sub").toString())));
            ConfigException e = assertThrows(ConfigException.class,
                    () -> Appliance.start(cfg, RunLimits.fields(1), line -> { }, () -> { }).close());
            assertEquals(key, e.key());
            assertTrue(e.getMessage().contains("cannot be created"), e.getMessage());
        }
    }
}
