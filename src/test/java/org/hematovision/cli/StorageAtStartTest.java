package org.hematovision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.hematovision.capture.synthetic.SmearParams;
import org.hematovision.capture.synthetic.SyntheticSmear;
import org.hematovision.capture.synthetic.SyntheticSource;
import org.hematovision.capture.synthetic.SyntheticSourceConfig;
import org.hematovision.config.AppConfig;
import org.hematovision.config.ConfigException;
import org.hematovision.config.Settings;
import org.hematovision.pipeline.RunLimits;
import org.hematovision.pipeline.RunLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The appliance started with its data directory already full or read-only (a small tmpfs, filled or
 * remounted read-only before the start): it starts, counts in memory, says so in the MQTT status,
 * and once the file system takes writes again the record holds every counted field. Needs permission
 * to mount a tmpfs (root); skipped, saying so, where that is not allowed. A data directory that does
 * not exist and cannot be created is a configuration error naming {@code data.dir} (runs anywhere).
 */
class StorageAtStartTest {

    private static final int BROKEN = 8;
    private static final int AFTER = 6;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"full", "read-only"})
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void startsCountsInMemoryAndSavesEveryFieldOnceTheDiskTakesWrites(String failure, @TempDir Path tmp)
            throws Exception {
        Path mnt = SmallDisk.mount(tmp);
        try {
            Path model = SmallDisk.colourModel(tmp, "colour-startfull");
            Path data = Files.createDirectories(mnt.resolve("data")); // made by the installer / systemd
            Path filler = mnt.resolve("filler");
            if (failure.equals("full")) {
                SmallDisk.fill(filler);
            } else {
                assertTrue(SmallDisk.sh("mount", "-o", "remount,ro", mnt.toString()), "remount read-only");
            }
            int port = HotPlugTest.freePort();
            AppConfig cfg = SmallDisk.config(data, port, model);
            SyntheticSource fields = SmallDisk.fields(7);
            List<String> problems = new ArrayList<>();
            List<String> console = new CopyOnWriteArrayList<>();
            List<JsonNode> storage = new CopyOnWriteArrayList<>();
            int[] analysed = {0};
            RunLoop.Summary summary;
            try (Appliance app = Appliance.start(cfg, fields, RunLimits.fields(BROKEN + AFTER), line -> {
                console.add(line);
                if (line.startsWith("field ") && ++analysed[0] == BROKEN) {
                    try {
                        if (failure.equals("full")) {
                            Files.delete(filler); // space returns
                        } else if (!SmallDisk.sh("mount", "-o", "remount,rw", mnt.toString())) {
                            problems.add("remount read-write failed");
                        }
                    } catch (IOException e) {
                        problems.add(e.toString());
                    }
                }
            })) {
                try (AutoCloseable sub = SmallDisk.statusSubscriber(port, "startfull-sub", storage::add)) {
                    summary = app.run();
                }
            }
            assertEquals(List.of(), problems);
            assertEquals(BROKEN + AFTER, summary.fieldsAnalysed());
            assertEquals(0, summary.fieldsNotStored());
            assertTrue(storage.stream().anyMatch(s -> !s.path("writable").asBoolean(true)
                    && s.path("fieldsInMemory").asInt() >= BROKEN - 1), storage::toString);
            assertTrue(console.stream().anyMatch(l -> l.startsWith("storage writable again")), console::toString);

            SmallDisk.assertRecordHolds(data, BROKEN + AFTER, summary.lastSample().whiteCells());
            SmallDisk.assertNoLeftovers(data);
        } finally {
            SmallDisk.sh("umount", "-l", mnt.toString());
        }
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedIsAConfigurationErrorNamingTheKey(@TempDir Path tmp) throws Exception {
        Path notADir = Files.writeString(tmp.resolve("plain-file"), "x");
        AppConfig cfg = AppConfig.from(Settings.of(Map.of("data.dir", notADir.resolve("data").toString(),
                "inference.model", tmp.resolve("no-model").toString())));
        ConfigException e = assertThrows(ConfigException.class, () -> Appliance.start(cfg,
                new SyntheticSource(new SyntheticSmear(SmearParams.defaults()), SyntheticSourceConfig.stills(), 1),
                RunLimits.fields(1), l -> { }).close());
        assertTrue(e.getMessage().contains("data.dir") && e.getMessage().contains(notADir.resolve("data").toString()),
                e.getMessage());
    }
}
