package org.hematovision.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hematovision.sample.FinishReason;
import org.hematovision.sample.FlagConfig;
import org.hematovision.sample.MutableClock;
import org.hematovision.sample.ReportBuilder;
import org.hematovision.sample.Sample;
import org.hematovision.sample.SampleConfig;
import org.hematovision.sample.SampleJournal;
import org.hematovision.sample.SampleManager;
import org.hematovision.sample.SyntheticFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole path from fields to a stored record, and what happens when the disk refuses it. */
class RecordingListenerTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T09:00:00Z"));
    private final List<RecordingListener.Stored> stored = new ArrayList<>();

    private SampleManager manager(StoreConfig config, int target) {
        return manager(config, target, true);
    }

    private SampleManager manager(StoreConfig config, int target, boolean resume) {
        SampleJournal journal = new SampleJournal(config.journalDir());
        RecordingListener recorder = new RecordingListener(new RecordStore(config, clock), journal,
                new ReportBuilder(FlagConfig.defaults()), CrashRecoveryTest.DEVICE, clock, stored::add);
        return new SampleManager(new SampleConfig(target, 0, 0, resume), journal, SyntheticFields.LABELS,
                SyntheticFields.EXCLUDED, recorder, clock);
    }

    /** Fields of 4 leukocytes: 2 neutrophils, 1 eosinophil, 1 review; every third field also an ig. */
    private static void count(SampleManager m, Sample s, int fields) {
        for (int i = 0; i < fields; i++) {
            List<String> cells = new ArrayList<>(List.of("neutrophil", "neutrophil", "eosinophil", "review"));
            if (i % 3 == 0) {
                cells.add("ig");
            }
            m.add(SyntheticFields.field(s.id(), i, Instant.parse("2026-11-24T09:00:00Z").plusSeconds(i), cells, 40, 3));
        }
    }

    private static long filesUnder(Path p) throws Exception {
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void finishedSampleBecomesAVerifiedRecordWithGalleryAndReports() throws Exception {
        StoreConfig config = StoreConfig.at(dir);
        SampleManager m = manager(config, 20);
        Sample s = m.open();
        count(m, s, 5); // 5 fields: 20 + 2 ig = 22 leukocytes, target reached at field 5
        assertFalse(m.counting());
        assertEquals(1, stored.size());
        RecordStore.StoredRecord rec = stored.get(0).record();
        assertEquals(List.of(), new RecordStore(config, clock).verify());

        JsonNode report = new ObjectMapper().readTree(rec.dir().resolve("report.json").toFile());
        assertEquals(FinishReason.TARGET, report.path("reason").asText());
        assertEquals(22, report.path("leukocytes").asInt());
        assertTrue(report.path("complete").asBoolean());
        assertEquals(5 + 2, report.path("gallery").size(), "one review cell per field and two ig");
        assertEquals(7, filesUnder(rec.dir().resolve("gallery")));
        assertEquals(5, filesUnder(rec.dir().resolve("fields")), "every field with an alert cell is kept");
        // 5 review cells of 22 (95% CI 7.8-45.4%) do not clear the 10% review limit
        List<String> flags = new ArrayList<>();
        report.path("flags").forEach(f -> flags.add(f.path("code").asText()));
        assertFalse(flags.contains("high-review-rate"), flags.toString());
        assertTrue(flags.containsAll(List.of("eosinophilia", "left-shift", "too-few-cells")), flags.toString());
        // no lymphocyte among 22, but 5 unidentified: it would not be low if they were lymphocytes
        assertFalse(flags.contains("lymphopenia"), flags.toString());
        assertEquals("Bundle", new ObjectMapper().readTree(rec.dir().resolve("fhir.json").toFile())
                .path("resourceType").asText());
        assertTrue(Files.size(rec.dir().resolve("report.png")) > 10_000);
        assertFalse(Files.exists(config.journalDir().resolve(s.id() + ".ndjson")), "journal archived");
        assertFalse(Files.exists(config.openDir().resolve(s.id())), "staging removed");
    }

    @Test
    void aRecordThatCannotBeStoredIsKeptAndStoredAtTheNextStart() throws Exception {
        StoreConfig config = StoreConfig.at(dir);
        Files.createDirectories(dir);
        Files.writeString(config.recordsDir(), "a file in the way (like a full or read-only disk)");
        SampleManager m = manager(config, 20);
        Sample s = m.open();
        count(m, s, 5);
        assertEquals(List.of(), stored, "nothing could be stored");
        assertTrue(Files.exists(config.journalDir().resolve(s.id() + ".ndjson")), "journal kept");
        assertEquals(7 + 5 + 1, filesUnder(config.openDir().resolve(s.id()).resolve("files")) + 1,
                "gallery and fields kept in staging");

        Files.delete(config.recordsDir()); // the operator frees the disk and restarts
        Sample next = manager(config, 20).open();
        assertFalse(next.id().equals(s.id()));
        assertEquals(1, stored.size());
        assertEquals(s.id(), stored.get(0).report().sampleId());
        assertEquals(22, stored.get(0).report().leukocytes());
        assertEquals(FinishReason.TARGET, stored.get(0).report().reason());
        assertEquals(7, filesUnder(stored.get(0).record().dir().resolve("gallery")));
        assertEquals(List.of(), new RecordStore(config, clock).verify());
    }

    @Test
    void aSampleFinishedAgainAfterItWasStoredKeepsItsWholeRecord() throws Exception {
        StoreConfig config = StoreConfig.at(dir);
        SampleManager m = manager(config, 20);
        Sample s = m.open();
        count(m, s, 5);
        RecordStore.StoredRecord rec = stored.get(0).record();
        byte[] reportBefore = Files.readAllBytes(rec.dir().resolve("report.json"));
        // the power failed after the record was stored, with the journal still there and the staging folder gone
        Files.write(config.journalDir().resolve(s.id() + ".ndjson"), Files.readAllBytes(rec.dir().resolve("journal.ndjson")));
        assertFalse(Files.exists(config.openDir().resolve(s.id())));

        clock.advance(Duration.ofMinutes(5));
        manager(config, 20).open(); // finished again from its journal
        assertEquals(2, stored.size());
        assertEquals(rec.dir(), stored.get(1).record().dir());
        assertEquals(List.of(), new RecordStore(config, clock).verify());
        assertEquals(7, filesUnder(rec.dir().resolve("gallery")), "the gallery is still in the record");
        assertArrayEquals(reportBefore, Files.readAllBytes(rec.dir().resolve("report.json")));
        assertFalse(Files.exists(config.journalDir().resolve(s.id() + ".ndjson")), "journal archived");
    }

    @Test
    void stagingFoldersLeftWithoutAJournalAreRemovedAtStartUp() throws Exception {
        StoreConfig config = StoreConfig.at(dir);
        SampleJournal journal = new SampleJournal(config.journalDir());
        Files.createDirectories(config.openDir().resolve("HV-1/files/gallery"));
        Files.write(config.openDir().resolve("HV-1/files/gallery/x.png"), new byte[] {1});
        Files.createDirectories(config.openDir().resolve("HV-2/meta"));
        Files.createDirectories(config.journalDir());
        Files.writeString(journal.file("HV-2"), "{}\n"); // HV-2 is still open: its journal is there
        RecordingListener recorder = new RecordingListener(new RecordStore(config, clock), journal,
                new ReportBuilder(FlagConfig.defaults()), CrashRecoveryTest.DEVICE, clock, stored::add);
        assertEquals(List.of(config.openDir().resolve("HV-1")), recorder.removeLeftoverStaging());
        assertFalse(Files.exists(config.openDir().resolve("HV-1")));
        assertTrue(Files.exists(config.openDir().resolve("HV-2")));
    }

    @Test
    void aSampleWithoutAnalysedFieldsIsNeitherStoredNorPublished() throws Exception {
        StoreConfig config = StoreConfig.at(dir);
        SampleManager m = manager(config, 20);
        Sample first = m.open();
        Sample second = m.newSample(); // NEW SAMPLE pressed twice
        m.finish(FinishReason.SHUTDOWN); // then the service stops while idle
        assertEquals(List.of(), stored, "nothing handed on for publishing");
        assertEquals(List.of(), new RecordStore(config, clock).list(), "no record");
        for (Sample s : List.of(first, second)) {
            assertFalse(Files.exists(config.journalDir().resolve(s.id() + ".ndjson")), "journal archived");
            assertFalse(Files.exists(config.openDir().resolve(s.id())), "staging removed");
        }

        Sample next = manager(config, 20).open(); // the next start neither resumes nor stores them
        assertFalse(List.of(first.id(), second.id()).contains(next.id()));
        assertEquals(0, next.snapshot().fields());
        assertEquals(List.of(), stored);
        assertEquals(List.of(), new RecordStore(config, clock).list());
    }

    @Test
    void aRecordStoredAfterARestartKeepsTheTimeTheSampleFinished() throws Exception {
        StoreConfig config = StoreConfig.at(dir);
        Files.createDirectories(dir);
        Files.writeString(config.recordsDir(), "in the way: the record is not stored, as after a power cut");
        Instant started = clock.instant();
        SampleManager m = manager(config, 20);
        Sample s = m.open();
        count(m, s, 1);
        clock.advance(Duration.ofMinutes(3));
        Instant finished = clock.instant();
        m.finish(FinishReason.OPERATOR); // journal: start, one field, finish at `finished`
        assertEquals(List.of(), stored);

        Files.delete(config.recordsDir());
        clock.advance(Duration.ofHours(14)); // switched on again the next morning
        manager(config, 20).open();
        assertEquals(1, stored.size());
        Path rec = stored.get(0).record().dir();
        JsonNode report = new ObjectMapper().readTree(rec.resolve("report.json").toFile());
        assertEquals(started.toString(), report.path("started").asText());
        assertEquals(finished.toString(), report.path("finished").asText());
        JsonNode fhir = new ObjectMapper().readTree(rec.resolve("fhir.json").toFile());
        assertEquals(finished.toString(), fhir.path("timestamp").asText());
    }

    @Test
    void aSampleResumedAfterARestartKeepsItsStartEvenWhenStagingFailedAtTheStart() throws Exception {
        StoreConfig config = StoreConfig.at(dir);
        Files.createDirectories(config.openDir().getParent());
        Files.writeString(config.openDir(), "in the way: no staging folder can be made, as on a full card");
        Instant started = clock.instant();
        SampleManager m = manager(config, 20);
        Sample s = m.open();
        count(m, s, 1); // the journal has the start and the field; the staging folder has nothing
        assertEquals(List.of(), stored);

        Files.delete(config.openDir()); // space freed, then the power was cut and came back
        clock.advance(Duration.ofHours(14));
        SampleManager again = manager(config, 20);
        Sample resumed = again.open();
        assertEquals(s.id(), resumed.id(), "the open sample is resumed");
        again.finish(FinishReason.OPERATOR);
        assertEquals(1, stored.size());
        JsonNode report = new ObjectMapper().readTree(stored.get(0).record().dir().resolve("report.json").toFile());
        assertEquals(started.toString(), report.path("started").asText(), "the journal's start, not the restart");
    }

    @Test
    void aSampleClosedAsIncompleteAfterARestartEndsAtItsLastField() throws Exception {
        StoreConfig config = StoreConfig.at(dir);
        SampleManager m = manager(config, 20, false);
        Sample s = m.open();
        for (int i = 0; i < 3; i++) { // no alert cells: no gallery writes left running at the "power cut"
            m.add(SyntheticFields.field(s.id(), i, clock.instant().plusSeconds(i), List.of("neutrophil", "lymphocyte"),
                    40, 3));
        }
        clock.advance(Duration.ofHours(14));
        manager(config, 20, false).open();
        assertEquals(1, stored.size());
        assertEquals(FinishReason.INCOMPLETE_AFTER_RESTART, stored.get(0).report().reason());
        JsonNode report = new ObjectMapper().readTree(stored.get(0).record().dir().resolve("report.json").toFile());
        assertEquals("2026-11-24T09:00:02Z", report.path("finished").asText());
    }
}
