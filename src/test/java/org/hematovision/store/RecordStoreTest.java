package org.hematovision.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.hematovision.cli.Main;
import org.hematovision.config.ConfigException;
import org.hematovision.sample.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RecordStoreTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));

    private RecordStore store(long maxBytes, int days) {
        return new RecordStore(new StoreConfig(dir.resolve("store"), days, maxBytes), clock);
    }

    private static Map<String, byte[]> files(String text) {
        return Map.of("report.json", ("{\"r\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8),
                "gallery/a.png", new byte[] {1, 2, 3});
    }

    @Test
    void committedRecordsVerifyCleanAndCorruptionIsReportedNotDeleted() throws Exception {
        RecordStore s = store(0, 0);
        RecordStore.StoredRecord a = s.commit("A", LocalDate.of(2026, 11, 24), files("a"), null);
        RecordStore.StoredRecord b = s.commit("B", LocalDate.of(2026, 11, 24), files("b"), null);
        assertEquals(List.of(), s.verify());
        assertEquals(2, s.list().size());

        Files.write(a.dir().resolve("gallery/a.png"), new byte[] {1, 2, 4});
        Files.delete(b.dir().resolve(RecordStore.MANIFEST));
        Files.createDirectories(dir.resolve("store/records/2026-11-24/.tmp-C"));
        List<RecordStore.Damage> damage = s.verify();
        assertEquals(3, damage.size(), damage.toString());
        assertTrue(damage.get(0).problem().contains("interrupted write"), damage.toString());
        assertTrue(damage.get(1).problem().contains("checksum mismatch"), damage.toString());
        assertTrue(damage.get(2).problem().contains("no manifest.json"), damage.toString());
        assertTrue(Files.exists(a.dir().resolve("gallery/a.png")) && Files.exists(b.dir().resolve("report.json")),
                "nothing deleted");
    }

    @Test
    void recommittingAWholeRecordKeepsItAndADamagedOneIsReplaced() throws Exception {
        RecordStore s = store(0, 0);
        s.commit("A", LocalDate.of(2026, 11, 24), files("first"), null);
        // finished again after a restart, its gallery gone: the whole record stays
        RecordStore.StoredRecord again = s.commit("A", LocalDate.of(2026, 11, 24),
                Map.of("report.json", "{\"r\":\"second\"}".getBytes(StandardCharsets.UTF_8)), null);
        assertEquals(1, s.list().size());
        assertEquals(List.of(), s.verify());
        assertTrue(new String(readUnchecked(again.dir().resolve("report.json")), StandardCharsets.UTF_8).contains("first"));
        assertTrue(Files.exists(again.dir().resolve("gallery/a.png")));

        Files.write(again.dir().resolve("gallery/a.png"), new byte[] {9}); // damaged on the card
        RecordStore.StoredRecord third = s.commit("A", LocalDate.of(2026, 11, 24), files("third"), null);
        assertEquals(List.of(), s.verify());
        assertTrue(new String(readUnchecked(third.dir().resolve("report.json")), StandardCharsets.UTF_8).contains("third"));
    }

    @Test
    void aFailedWriteLeavesNoHalfRecordBehind() {
        RecordStore s = store(0, 0);
        // "a" is written as a file, so "a/b" cannot be: the write fails half-way
        Map<String, byte[]> clash = Map.of("a", new byte[] {1}, "a/b", new byte[] {2});
        StoreException e = assertThrows(StoreException.class, () -> s.commit("C", LocalDate.of(2026, 11, 24), clash, null));
        assertTrue(e.getMessage().contains("cannot store the record of sample C"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("store/records/2026-11-24/" + RecordStore.TMP_PREFIX + "C")),
                "the temporary folder of the failed write is removed");
        assertEquals(List.of(), s.verify());
    }

    @Test
    void aStoreThatCannotBeWrittenSaysSo() throws Exception {
        Files.createDirectories(dir.resolve("store"));
        Files.writeString(dir.resolve("store/records"), "a file where the records folder belongs");
        StoreException e = assertThrows(StoreException.class,
                () -> store(0, 0).commit("A", LocalDate.of(2026, 11, 24), files("a"), null));
        assertTrue(e.getMessage().contains("cannot store the record of sample A"), e.getMessage());
        assertTrue(e.getMessage().contains("journal is kept"), e.getMessage());
    }

    @Test
    void retentionRemovesOldRecordsThenOldestBeyondTheSizeLimit() {
        RecordStore s = store(0, 30);
        s.commit("OLD", LocalDate.of(2026, 10, 1), files("old"), null);
        s.commit("NEW", LocalDate.of(2026, 11, 20), files("new"), null);
        assertEquals(List.of("OLD"), s.applyRetention().stream().map(RecordStore.StoredRecord::sampleId).toList());
        assertEquals(List.of("NEW"), s.list().stream().map(RecordStore.StoredRecord::sampleId).toList());

        s.commit("NEWER", LocalDate.of(2026, 11, 21), files("newer"), null);
        long one = RecordStore.size(s.list().get(0).dir());
        RecordStore small = store(one + 1, 0);
        assertEquals(List.of("NEW"), small.applyRetention().stream().map(RecordStore.StoredRecord::sampleId).toList());
        assertEquals(List.of("NEWER"), small.list().stream().map(RecordStore.StoredRecord::sampleId).toList());
    }

    @Test
    void configValuesAreValidatedWithTheirKeys() {
        assertEquals("store.retentionDays",
                assertThrows(ConfigException.class, () -> new StoreConfig(dir, -1, 0)).key());
        assertEquals("store.maxBytes", assertThrows(ConfigException.class, () -> new StoreConfig(dir, 1, -5)).key());
        assertEquals("store.dir", assertThrows(ConfigException.class, () -> new StoreConfig(Path.of(""), 1, 5)).key());
    }

    @Test
    void exportCopiesTheDateRangeVerifiedAndSkipsDamagedRecords() throws Exception {
        RecordStore s = store(0, 0);
        s.commit("D1", LocalDate.of(2026, 11, 1), files("d1"), null);
        s.commit("D2", LocalDate.of(2026, 11, 2), files("d2"), null);
        RecordStore.StoredRecord d3 = s.commit("D3", LocalDate.of(2026, 11, 3), files("d3"), null);
        s.commit("D9", LocalDate.of(2026, 11, 9), files("d9"), null);
        Path out = dir.resolve("usb");

        RecordExporter.Result r = new RecordExporter(s).export(LocalDate.of(2026, 11, 2), LocalDate.of(2026, 11, 3), out);
        assertEquals(List.of("D2", "D3"), r.exported().stream().map(RecordStore.StoredRecord::sampleId).toList());
        assertTrue(s.verify(out.resolve("2026-11-02/D2")).isEmpty());
        assertFalse(Files.exists(out.resolve("2026-11-01")));
        assertFalse(Files.exists(out.resolve("2026-11-09")));

        // again: identical copies are recognized; a damaged record is reported, not copied, left in place
        Files.write(d3.dir().resolve("report.json"), "tampered".getBytes(StandardCharsets.UTF_8));
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(stdout));
        cl.setErr(new PrintWriter(stderr));
        int code = cl.execute("export", "--from", "2026-11-01", "--to", "2026-11-03", "--out", out.toString(),
                "--store", dir.resolve("store").toString());
        assertEquals(2, code, stderr.toString());
        assertTrue(stdout.toString().contains("exported 1 record(s)"), stdout.toString());
        assertTrue(stdout.toString().contains("1 record(s) were already there"), stdout.toString());
        assertTrue(stderr.toString().contains("D3") && stderr.toString().contains("checksum mismatch"), stderr.toString());
        assertTrue(Files.exists(d3.dir().resolve("report.json")));

        assertEquals(2, Main.commandLine().execute("export", "--from", "2026-11-05", "--to", "2026-11-01",
                "--out", out.toString(), "--store", dir.resolve("store").toString()), "--to before --from is a usage error");
    }

    @Test
    void exportFromAMissingStoreSaysWhere() {
        StringWriter stderr = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(stderr));
        int code = cl.execute("export", "--from", "2026-11-01", "--to", "2026-11-03", "--out", dir.resolve("usb").toString(),
                "--store", dir.resolve("nowhere").toString());
        assertEquals(1, code);
        assertTrue(stderr.toString().contains("no record store at " + dir.resolve("nowhere")), stderr.toString());
    }

    private static byte[] readUnchecked(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
