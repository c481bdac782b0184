package org.hematovision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import org.hematovision.store.RecordStore;
import org.hematovision.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code export} reads the store that {@code run} writes under the same configuration. */
class ExportCommandTest {

    private static void commitRecord(Path storeDir, String sampleId) {
        new RecordStore(StoreConfig.at(storeDir), Clock.systemUTC()).commit(sampleId, LocalDate.of(2026, 11, 24),
                Map.of("report.json", "{\"r\":1}".getBytes(StandardCharsets.UTF_8)), null);
    }

    @Test
    void withoutStoreItExportsFromTheConfiguredDataDirAsRunStores(@TempDir Path dir) {
        // store.dir defaults to data.dir, as in `run`
        Path data = dir.resolve("data");
        commitRecord(data, "HV-A");
        CliRunner.Result r = CliRunner.run("export", "--set", "data.dir=" + data, "--from", "2026-11-24",
                "--to", "2026-11-24", "--out", dir.resolve("usb").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("exported 1 record(s)"), r.out());
        assertTrue(Files.exists(dir.resolve("usb/2026-11-24/HV-A/report.json")), r.out());
    }

    @Test
    void withoutStoreItExportsFromTheStoreDirOfTheConfigFile(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("records-here");
        commitRecord(store, "HV-B");
        Path conf = dir.resolve("hematovision.conf");
        Files.writeString(conf, "store.dir = " + store + "\n");
        CliRunner.Result r = CliRunner.run("export", "--config", conf.toString(), "--from", "2026-11-24",
                "--to", "2026-11-24", "--out", dir.resolve("usb").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("exported 1 record(s)"), r.out());
        assertTrue(Files.exists(dir.resolve("usb/2026-11-24/HV-B/report.json")), r.out());
    }

    @Test
    void aMissingConfiguredStoreNamesItAndTheOptions(@TempDir Path dir) {
        Path data = dir.resolve("empty");
        CliRunner.Result r = CliRunner.run("export", "--set", "data.dir=" + data, "--from", "2026-11-24",
                "--to", "2026-11-24", "--out", dir.resolve("usb").toString());
        assertEquals(1, r.exitCode(), r.out());
        assertTrue(r.err().contains("no record store at " + data) && r.err().contains("--config FILE")
                && r.err().contains("--store DIR"), r.err());
    }
}
