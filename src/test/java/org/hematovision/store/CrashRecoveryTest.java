package org.hematovision.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hematovision.report.DeviceInfo;
import org.hematovision.sample.FinishReason;
import org.hematovision.sample.FlagConfig;
import org.hematovision.sample.RecordingSink;
import org.hematovision.sample.ReportBuilder;
import org.hematovision.sample.Sample;
import org.hematovision.sample.SampleConfig;
import org.hematovision.sample.SampleJournal;
import org.hematovision.sample.SampleListener;
import org.hematovision.sample.SampleManager;
import org.hematovision.sample.SyntheticFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} in the middle of a sample: a child JVM counts fields as fast as it can and is killed
 * with {@link Process#destroyForcibly()} (SIGKILL) at an arbitrary point, possibly mid-write; the next
 * start must hold every field the child acknowledged, whole (never part of a field).
 */
class CrashRecoveryTest {

    static final DeviceInfo DEVICE = new DeviceInfo("test-bench", "0.1.0-test", "wbc-test", "1");
    private static final int KILL_AFTER = 25;

    @TempDir
    Path store;

    /** Runs the child until it has acknowledged {@code KILL_AFTER} fields, kills it; returns [id, last acknowledged]. */
    private String[] runAndKill() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
                store.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String id = null;
        int last = -1;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("SAMPLE ")) {
                    id = line.substring(7);
                } else if (line.startsWith("COUNTED ")) {
                    last = Integer.parseInt(line.substring(8));
                    if (last >= KILL_AFTER) {
                        p.destroyForcibly();
                        break;
                    }
                }
            }
        } finally {
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "child did not die");
        }
        assertNotNull(id, "child never started a sample");
        assertTrue(last >= KILL_AFTER, "child stopped early at " + last);
        return new String[] {id, Integer.toString(last)};
    }

    @Test
    void resumesTheOpenSampleWithEveryAcknowledgedField() throws Exception {
        String[] killed = runAndKill();
        int acknowledged = Integer.parseInt(killed[1]) + 1;
        RecordingSink sink = new RecordingSink();
        SampleManager m = new SampleManager(new SampleConfig(1000, 0, 0, true),
                new SampleJournal(StoreConfig.at(store).journalDir()), SyntheticFields.LABELS, SyntheticFields.EXCLUDED,
                sink, Clock.systemUTC());
        Sample s = m.open();
        assertEquals(killed[0], s.id(), "the open sample is resumed");
        int fields = s.snapshot().fields();
        assertTrue(fields >= acknowledged, "lost fields: " + fields + " < " + acknowledged);
        assertEquals(3 * fields, s.snapshot().whiteCells(), "every field is whole");
        assertEquals(fields, s.snapshot().counts().get("neutrophil"));
        assertEquals(fields, s.snapshot().review());
        assertEquals(20L * fields, s.snapshot().redCells());
    }

    @Test
    void closesItAsIncompleteIntoARecordWithEveryAcknowledgedField() throws Exception {
        String[] killed = runAndKill();
        int acknowledged = Integer.parseInt(killed[1]) + 1;
        Clock clock = Clock.systemUTC();
        StoreConfig config = StoreConfig.at(store);
        SampleJournal journal = new SampleJournal(config.journalDir());
        RecordStore records = new RecordStore(config, clock);
        SampleListener recorder = new RecordingListener(records, journal, new ReportBuilder(FlagConfig.defaults()),
                DEVICE, clock, stored -> { });
        Sample next = new SampleManager(new SampleConfig(100, 0, 0, false), journal, SyntheticFields.LABELS,
                SyntheticFields.EXCLUDED, recorder, clock).open();
        assertFalse(next.id().equals(killed[0]));

        List<RecordStore.StoredRecord> stored = records.list();
        assertEquals(1, stored.size());
        RecordStore.StoredRecord rec = stored.get(0);
        assertEquals(killed[0], rec.sampleId());
        assertEquals(List.of(), records.verify());
        JsonNode report = new ObjectMapper().readTree(rec.dir().resolve("report.json").toFile());
        assertEquals(FinishReason.INCOMPLETE_AFTER_RESTART, report.path("reason").asText());
        assertFalse(report.path("complete").asBoolean());
        int fields = report.path("fields").asInt();
        assertTrue(fields >= acknowledged, "lost fields: " + fields + " < " + acknowledged);
        assertEquals(3 * fields, report.path("leukocytes").asInt());
        // every review cell's crop made it into the gallery, staged before the crash
        long crops;
        try (var files = Files.list(rec.dir().resolve("gallery"))) {
            crops = files.count();
        }
        assertTrue(crops >= acknowledged, crops + " crops for " + acknowledged + " acknowledged review cells");
        assertFalse(Files.exists(journal.file(killed[0])), "journal archived into the record");
        assertTrue(Files.exists(rec.dir().resolve("journal.ndjson")));
    }
}
