package org.hematovision.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sample started while the journal directory refuses writes (read-only) counts in memory and its
 * journal catches up, in order, once writes succeed. Uses directory permissions, which root
 * ignores: skipped as root (there {@code DiskFullTest} fills a real tmpfs instead).
 */
class SampleManagerStorageTest {

    @TempDir
    Path dir;

    @Test
    void fieldsCountedWhileTheJournalCannotBeWrittenAreJournalledOnceItCan() throws IOException {
        Path journalDir = dir.resolve("journal");
        MutableClock clock = new MutableClock(Instant.parse("2026-11-24T08:00:00Z"));
        SampleManager m = new SampleManager(new SampleConfig(1000, 0, 0, true), new SampleJournal(journalDir),
                SyntheticFields.LABELS, SyntheticFields.EXCLUDED, new SampleListener() { }, clock);
        m.open();
        m.add(SyntheticFields.field(m.current().orElseThrow().id(), 0, clock.instant(), List.of("lymphocyte", "neutrophil"), 0, 0));
        Files.setPosixFilePermissions(journalDir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Assumptions.assumeFalse(Files.isWritable(journalDir),
                    "running as root: directory permissions do not stop writes, test skipped (DiskFullTest covers it)");
            clock.advance(java.time.Duration.ofMinutes(1));
            Sample second = m.newSample();
            for (int i = 1; i <= 3; i++) {
                m.add(SyntheticFields.field(second.id(), i, clock.instant(), List.of("lymphocyte"), 0, 0));
            }
            assertEquals(3, second.snapshot().whiteCells(), "counted although nothing could be written");
            assertEquals(3, m.unjournalledFields());
        } finally {
            Files.setPosixFilePermissions(journalDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Sample second = m.current().orElseThrow();
        m.add(SyntheticFields.field(second.id(), 4, clock.instant(), List.of("neutrophil"), 0, 0));
        assertEquals(0, m.unjournalledFields());
        List<String> lines = Files.readAllLines(journalDir.resolve(second.id() + ".ndjson"));
        assertEquals(5, lines.size(), lines::toString); // start + 4 fields, in order
        for (int i = 1; i <= 4; i++) {
            assertEquals(true, lines.get(i).contains("\"fieldIndex\":" + i), lines.get(i));
        }
    }
}
