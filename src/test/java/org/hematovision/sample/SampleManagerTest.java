package org.hematovision.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleManagerTest {

    private static final List<String> CLASSES =
            List.of("neutrophil", "lymphocyte", "monocyte", "eosinophil", "basophil", "ig", "erythroblast", "review",
                    "platelet");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T08:00:00Z"));
    private final RecordingSink sink = new RecordingSink();

    private SampleManager manager(SampleConfig config) {
        return new SampleManager(config, new SampleJournal(dir.resolve("journal")), SyntheticFields.LABELS,
                SyntheticFields.EXCLUDED, sink, clock);
    }

    /** Random cells of known classes, 0..9 per field. */
    private static List<List<String>> fields(long seed, int n) {
        Random rnd = new Random(seed);
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<String> cells = new ArrayList<>();
            int k = rnd.nextInt(10);
            for (int j = 0; j < k; j++) {
                cells.add(CLASSES.get(rnd.nextInt(CLASSES.size())));
            }
            out.add(cells);
        }
        return out;
    }

    private static boolean leukocyte(String label) {
        return !label.equals("erythroblast") && !label.equals("platelet");
    }

    @Test
    void endsAtTheTargetWithExactCounts() {
        SampleManager m = manager(SampleConfig.defaults());
        Sample s = m.open();
        Map<String, Integer> expected = new HashMap<>();
        int leukocytes = 0;
        int fieldsUsed = 0;
        long platelets = 0;
        SampleManager.Outcome last = null;
        for (List<String> cells : fields(42, 400)) {
            last = m.add(SyntheticFields.field(s.id(), fieldsUsed, clock.instant(), cells, 30, 2));
            fieldsUsed++;
            platelets += 2;
            for (String c : cells) {
                if (c.equals("platelet")) {
                    platelets++;
                } else {
                    expected.merge(c, 1, Integer::sum);
                    if (leukocyte(c)) {
                        leukocytes++;
                    }
                }
            }
            if (last == SampleManager.Outcome.FINISHED) {
                break;
            }
        }
        assertEquals(SampleManager.Outcome.FINISHED, last);
        assertTrue(leukocytes >= 100 && leukocytes < 110, "stops at the first field reaching 100: " + leukocytes);
        assertEquals(List.of(FinishReason.TARGET), sink.reasons);
        DifferentialSnapshot d = sink.finished.get(0);
        for (String c : CLASSES) {
            if (!c.equals("platelet")) {
                assertEquals(expected.getOrDefault(c, 0), d.counts().get(c), c);
            }
        }
        assertEquals(fieldsUsed, d.fields());
        assertEquals(30L * fieldsUsed, d.redCells());
        assertEquals(platelets, d.platelets());
        assertEquals(expected.getOrDefault("review", 0), d.review());
        // After the target, fields are not counted until a new sample starts.
        assertEquals(SampleManager.Outcome.IGNORED,
                m.add(SyntheticFields.field(s.id(), 999, clock.instant(), List.of("neutrophil"), 0, 0)));
        assertEquals(fieldsUsed, s.snapshot().fields());
    }

    @Test
    void nucleatedRedCellsDoNotCountTowardsTheTarget() {
        SampleManager m = manager(SampleConfig.defaults().withTargetCells(3));
        Sample s = m.open();
        assertEquals(SampleManager.Outcome.COUNTED,
                m.add(SyntheticFields.field(s.id(), 0, clock.instant(), List.of("erythroblast", "erythroblast", "ig"), 0, 0)));
        assertEquals(SampleManager.Outcome.FINISHED,
                m.add(SyntheticFields.field(s.id(), 1, clock.instant(), List.of("neutrophil", "review"), 0, 0)));
    }

    @Test
    void fieldAndTimeLimitsFinishAnIncompleteSample() {
        SampleManager m = manager(new SampleConfig(100, 3, 10, true));
        Sample s = m.open();
        for (int i = 0; i < 2; i++) {
            assertEquals(SampleManager.Outcome.COUNTED,
                    m.add(SyntheticFields.field(s.id(), i, clock.instant(), List.of("neutrophil"), 0, 0)));
        }
        assertEquals(SampleManager.Outcome.FINISHED,
                m.add(SyntheticFields.field(s.id(), 2, clock.instant(), List.of("neutrophil"), 0, 0)));
        assertEquals(FinishReason.FIELD_LIMIT, sink.reasons.get(0));

        Sample t = m.newSample();
        assertNotEquals(s.id(), t.id());
        assertFalse(m.checkLimits());
        clock.advance(Duration.ofMinutes(10));
        assertTrue(m.checkLimits());
        assertEquals(FinishReason.TIME_LIMIT, sink.reasons.get(1));
    }

    @Test
    void newSampleClosesTheOpenOneAndIgnoresFieldsOfOthers() {
        SampleManager m = manager(SampleConfig.defaults());
        Sample a = m.open();
        m.add(SyntheticFields.field(a.id(), 0, clock.instant(), List.of("lymphocyte"), 0, 0));
        Sample b = m.newSample();
        assertEquals(List.of(FinishReason.NEW_SAMPLE), sink.reasons);
        assertEquals(1, sink.finished.get(0).whiteCells());
        assertEquals(SampleManager.Outcome.IGNORED,
                m.add(SyntheticFields.field(a.id(), 1, clock.instant(), List.of("lymphocyte"), 0, 0)));
        assertEquals(0, b.snapshot().whiteCells());
        m.finish(FinishReason.ABORTED);
        assertEquals(FinishReason.ABORTED, sink.reasons.get(1));
    }

    @Test
    void restartResumesTheOpenSampleWithEveryCountedCell() {
        SampleManager first = manager(SampleConfig.defaults());
        Sample s = first.open();
        for (int i = 0; i < 5; i++) {
            first.add(SyntheticFields.field(s.id(), i, clock.instant(), List.of("neutrophil", "eosinophil", "review"), 10, 1));
        }
        DifferentialSnapshot before = s.snapshot();
        // "crash": the first manager is dropped without finishing
        RecordingSink sink2 = new RecordingSink();
        SampleManager second = new SampleManager(SampleConfig.defaults(), new SampleJournal(dir.resolve("journal")),
                SyntheticFields.LABELS, SyntheticFields.EXCLUDED, sink2, clock);
        Sample resumed = second.open();
        assertEquals(s.id(), resumed.id());
        assertEquals(before, resumed.snapshot());
        assertEquals(s.started(), resumed.started());
        assertEquals(List.of(s.id()), sink2.started);
        assertEquals(List.of(before), sink2.resumed, "the sinks get the resumed counts (the display shows them)");
        second.add(SyntheticFields.field(s.id(), 5, clock.instant(), List.of("monocyte"), 0, 0));
        assertEquals(16, resumed.snapshot().whiteCells());
    }

    @Test
    void restartWithoutResumeClosesTheSampleAsIncompleteKeepingItsCells() {
        SampleManager first = manager(SampleConfig.defaults());
        Sample s = first.open();
        first.add(SyntheticFields.field(s.id(), 0, clock.instant(), List.of("basophil", "ig"), 0, 0));
        RecordingSink sink2 = new RecordingSink();
        SampleManager second = new SampleManager(new SampleConfig(100, 0, 0, false),
                new SampleJournal(dir.resolve("journal")), SyntheticFields.LABELS, SyntheticFields.EXCLUDED, sink2, clock);
        Sample fresh = second.open();
        assertNotEquals(s.id(), fresh.id());
        assertEquals(List.of(FinishReason.INCOMPLETE_AFTER_RESTART), sink2.reasons);
        assertEquals(s.snapshot(), sink2.finished.get(0));
        // Not archived by a store here, so a third start replays it as finished (for the store), not as open.
        RecordingSink sink3 = new RecordingSink();
        new SampleManager(SampleConfig.defaults(), new SampleJournal(dir.resolve("journal")), SyntheticFields.LABELS,
                SyntheticFields.EXCLUDED, sink3, clock).open();
        int i = sink3.finished.stream().map(DifferentialSnapshot::sampleId).toList().indexOf(s.id());
        assertEquals(FinishReason.INCOMPLETE_AFTER_RESTART, sink3.reasons.get(i));
        assertEquals(s.snapshot(), sink3.finished.get(i));
    }

    @Test
    void idsNeverRepeatEvenWhenTheClockGoesBack() {
        SampleManager m = manager(SampleConfig.defaults());
        String a = m.open().id();
        String b = m.newSample().id();
        m.finish(FinishReason.OPERATOR);
        clock.advance(Duration.ofDays(-3)); // a board without RTC booting with an old time
        String c = manager(SampleConfig.defaults()).open().id();
        assertEquals("HV-20261124-080000", a);
        assertEquals("HV-20261124-080000-2", b);
        assertEquals("HV-20261124-080000-3", c, "a restarted appliance continues the sequence");
        clock.advance(Duration.ofDays(4));
        // c is resumed, is past its 30-minute limit, closes; the next id follows the clock again
        assertEquals("HV-20261125-080000", manager(SampleConfig.defaults()).open().id());
        assertEquals(FinishReason.TIME_LIMIT, sink.reasons.get(sink.reasons.size() - 1));
    }

    @Test
    void idOrderReadsTheSuffixAsANumber() {
        // the memory/disk comparison in nextId: text order would put "-10" before "-9" and reissue "-10"
        assertTrue(SampleJournal.ID_ORDER.compare("HV-20261124-080000-10", "HV-20261124-080000-9") > 0);
        assertTrue(SampleJournal.ID_ORDER.compare("HV-20261124-080000-2", "HV-20261124-080000") > 0);
        assertTrue(SampleJournal.ID_ORDER.compare("HV-20261124-080001", "HV-20261124-080000-99") > 0);
        assertTrue(SampleJournal.ID_ORDER.compare("", "HV-20261124-080000") < 0);
        assertEquals(0, SampleJournal.ID_ORDER.compare("HV-20261124-080000-3", "HV-20261124-080000-3"));
    }

    @Test
    void aLineTornByACrashIsCutOffAndTheRestKept() throws IOException {
        SampleManager first = manager(SampleConfig.defaults());
        Sample s = first.open();
        first.add(SyntheticFields.field(s.id(), 0, clock.instant(), List.of("neutrophil", "neutrophil"), 0, 0));
        Path journal = dir.resolve("journal").resolve(s.id() + ".ndjson");
        Files.writeString(journal, "{\"type\":\"field\",\"fieldIndex\":1,\"cou", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        Sample resumed = manager(SampleConfig.defaults()).open();
        assertEquals(2, resumed.snapshot().whiteCells());
        assertTrue(Files.readString(journal).endsWith("}\n"), "torn tail removed");
    }

    /** A file where the journal directory should be: nothing can be journalled until it is deleted. */
    private Path unwritableJournal() throws IOException {
        return Files.writeString(dir.resolve("journal"), "not a directory");
    }

    /** A sample of {@code fields} fields of one monocyte each, journalled; returns its journal file. */
    private Path journalOfMonocytes(int fields) {
        SampleManager first = manager(SampleConfig.defaults());
        Sample s = first.open();
        for (int i = 0; i < fields; i++) {
            first.add(SyntheticFields.field(s.id(), i, clock.instant(), List.of("monocyte"), 0, 0));
        }
        return dir.resolve("journal").resolve(s.id() + ".ndjson");
    }

    private static String idOf(Path journal) {
        String name = journal.getFileName().toString();
        return name.substring(0, name.length() - ".ndjson".length());
    }

    @Test
    void aLineDamagedInTheMiddleIsSkippedReportedAndTheOtherFieldsKept() throws IOException {
        Path journal = journalOfMonocytes(3);
        List<String> lines = new ArrayList<>(Files.readAllLines(journal));
        lines.set(2, lines.get(2).replace("\"counts\"", "\u0000garbage")); // the second field's line
        Files.write(journal, lines);
        Sample resumed = manager(SampleConfig.defaults()).open();
        assertEquals(idOf(journal), resumed.id());
        assertEquals(2, resumed.snapshot().whiteCells(), "the two intact fields are kept");
        assertTrue(Files.exists(journal.resolveSibling(journal.getFileName() + ".damaged")), "evidence kept");
    }

    @Test
    void lineWithAnImpossibleValueIsSkippedLikeADamagedOne() throws IOException {
        Path journal = journalOfMonocytes(4);
        List<String> lines = new ArrayList<>(Files.readAllLines(journal));
        // valid JSON each time: a time that is not a time, a negative count, a start time that is not one
        lines.set(1, lines.get(1).replaceFirst("\"time\":\"[^\"]*\"", "\"time\":\"2026-13-45T99:00:00Z\""));
        lines.set(3, lines.get(3).replace("\"monocyte\":1", "\"monocyte\":-7"));
        lines.set(0, lines.get(0).replaceFirst("\"started\":\"[^\"]*\"", "\"started\":\"yesterday\""));
        Files.write(journal, lines);
        Sample resumed = manager(SampleConfig.defaults()).open(); // threw before: the service could not start
        assertEquals(idOf(journal), resumed.id());
        assertEquals(2, resumed.snapshot().whiteCells(), "the two intact fields are kept");
        assertTrue(Files.exists(journal.resolveSibling(journal.getFileName() + ".damaged")), "evidence kept");
    }

    @Test
    void aSampleFinishedWhileTheStorageFailsIsWrittenWithItsEndBeforeTheNextSample() throws IOException {
        Path journalDir = unwritableJournal(); // nothing can be journalled
        SampleManager m = manager(SampleConfig.defaults());
        Sample a = m.open();
        m.add(SyntheticFields.field(a.id(), 0, clock.instant(), List.of("monocyte", "lymphocyte"), 0, 0));
        m.add(SyntheticFields.field(a.id(), 1, clock.instant(), List.of("monocyte"), 0, 0));
        m.finish(FinishReason.OPERATOR);
        clock.advance(Duration.ofMinutes(1));
        Sample b = m.newSample();
        m.add(SyntheticFields.field(b.id(), 0, clock.instant(), List.of("neutrophil"), 0, 0));
        assertEquals(StorageStatus.failing(3, m.storage().reason()), m.storage(), "A's 2 fields and B's 1 in memory");

        Files.delete(journalDir); // the storage takes writes again
        m.add(SyntheticFields.field(b.id(), 1, clock.instant(), List.of("neutrophil"), 0, 0));
        assertEquals(StorageStatus.OK, m.storage());

        // the next start finds A finished (stored again with all its cells) and resumes B, not A
        RecordingSink after = new RecordingSink();
        Sample resumed = new SampleManager(SampleConfig.defaults(), new SampleJournal(journalDir), SyntheticFields.LABELS,
                SyntheticFields.EXCLUDED, after, clock).open();
        assertEquals(b.id(), resumed.id());
        assertEquals(2, resumed.snapshot().whiteCells());
        assertEquals(List.of(FinishReason.OPERATOR), after.reasons);
        assertEquals(a.id(), after.finished.get(0).sampleId());
        assertEquals(3, after.finished.get(0).whiteCells());
    }

    @Test
    void theEndOfAFinishedSampleIsWrittenWhileIdleOnceTheStorageRecovers() throws IOException {
        Path journalDir = unwritableJournal();
        SampleManager m = manager(SampleConfig.defaults());
        Sample a = m.open();
        m.add(SyntheticFields.field(a.id(), 0, clock.instant(), List.of("monocyte"), 0, 0));
        m.finish(FinishReason.OPERATOR);
        m.checkLimits(); // idle, storage still failing: nothing written, nothing thrown
        assertFalse(m.storage().writable());
        Files.delete(journalDir);
        m.checkLimits(); // too soon after the last attempt
        assertFalse(m.storage().writable());
        clock.advance(Duration.ofSeconds(30));
        m.checkLimits();
        assertEquals(0, m.unjournalledFields());
        assertEquals(StorageStatus.OK, m.storage());
        String text = Files.readString(journalDir.resolve(a.id() + ".ndjson"));
        assertTrue(text.contains("\"type\":\"finish\"") && text.contains("\"monocyte\":1"), text);
    }

    @Test
    void aJournalThatCannotBeWrittenAtStartCountsInMemoryAndSaysWhereAndWhy() throws IOException {
        Path journalDir = unwritableJournal();
        SampleManager m = manager(SampleConfig.defaults());
        Sample s = m.open();
        assertFalse(m.storage().writable());
        assertTrue(m.storage().reason().contains(journalDir.toString()), m.storage().reason());
        m.add(SyntheticFields.field(s.id(), 0, clock.instant(), List.of("monocyte"), 0, 0));
        assertEquals(1, s.snapshot().whiteCells(), "counted although nothing could be written");
        assertEquals(StorageStatus.failing(1, m.storage().reason()), m.storage());

        Files.delete(journalDir); // the storage takes writes again
        m.add(SyntheticFields.field(s.id(), 1, clock.instant(), List.of("monocyte"), 0, 0));
        assertEquals(StorageStatus.OK, m.storage());
        List<String> lines = Files.readAllLines(journalDir.resolve(s.id() + ".ndjson"));
        assertEquals(3, lines.size(), lines::toString); // start + both fields
    }
}
