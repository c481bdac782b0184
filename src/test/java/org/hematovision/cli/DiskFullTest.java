package org.hematovision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.hematovision.capture.synthetic.SyntheticSource;
import org.hematovision.config.AppConfig;
import org.hematovision.pipeline.RunLimits;
import org.hematovision.pipeline.RunLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The appliance with its data directory on a small tmpfs that the test fills up mid-sample and then
 * frees: counting goes on while the disk is full, the journal catches up once space returns, and
 * the stored record holds every counted field; no temporary or partial file is left behind.
 * Needs permission to mount a tmpfs (root); skipped, saying so, where that is not allowed.
 */
class DiskFullTest {

    private static final int BEFORE = 5;
    private static final int FULL = 40;
    private static final int AFTER = 10;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void countedFieldsSurviveAFullDiskAndReachTheRecordOnceSpaceReturns(@TempDir Path tmp) throws Exception {
        Path mnt = SmallDisk.mount(tmp);
        try {
            Path model = SmallDisk.colourModel(tmp, "colour-diskfull");
            Path data = mnt.resolve("data");
            int port = HotPlugTest.freePort();
            AppConfig cfg = SmallDisk.config(data, port, model);
            SyntheticSource fields = SmallDisk.fields(5);
            Path filler = mnt.resolve("filler");
            AtomicReference<String> journalAtFullEnd = new AtomicReference<>();
            List<String> problems = new ArrayList<>();
            int[] analysed = {0};
            List<JsonNode> storageStates = new java.util.concurrent.CopyOnWriteArrayList<>();
            RunLoop.Summary summary;
            try (Appliance app = Appliance.start(cfg, fields, RunLimits.fields(BEFORE + FULL + AFTER), line -> {
                if (!line.startsWith("field ")) {
                    return;
                }
                analysed[0]++;
                try {
                    if (analysed[0] >= BEFORE && analysed[0] < BEFORE + FULL) {
                        // Topped up after every field: the outbox and the record store free blocks
                        // as they go (delivered messages, replaced files), which would let the
                        // journal slip through on a slow machine.
                        SmallDisk.fill(filler);
                    } else if (analysed[0] == BEFORE + FULL) {
                        journalAtFullEnd.set(journalText(data));
                        Files.delete(filler); // space returns
                    }
                } catch (IOException e) {
                    problems.add(e.toString());
                }
            })) {
                try (AutoCloseable sub = SmallDisk.statusSubscriber(port, "diskfull-sub", storageStates::add)) {
                    summary = app.run();
                }
            }
            assertEquals(List.of(), problems);
            // The retained status said so while it lasted (with the fields held in memory), and then cleared.
            int failedAt = indexOf(storageStates, s -> !s.path("writable").asBoolean(true)
                    && s.path("fieldsInMemory").asInt() > 0 && s.path("reason").asText().contains("space"));
            assertTrue(failedAt >= 0, storageStates::toString);
            assertTrue(indexOf(storageStates.subList(failedAt, storageStates.size()),
                    s -> s.path("writable").asBoolean(false) && s.path("fieldsInMemory").asInt() == 0) >= 0,
                    storageStates::toString);
            assertEquals(BEFORE + FULL + AFTER, summary.fieldsAnalysed());
            assertEquals(0, summary.fieldsNotStored());

            // The disk really was full: the journal fell behind the count.
            long journalledWhileFull = SmallDisk.fieldLines(journalAtFullEnd.get());
            assertTrue(journalledWhileFull < BEFORE + FULL, "journal kept up although the disk was full ("
                    + journalledWhileFull + " lines)");

            // Once space returned the journal caught up and the record holds every counted field and cell.
            assertTrue(summary.lastSample().whiteCells() > 0);
            String journal = SmallDisk.assertRecordHolds(data, BEFORE + FULL + AFTER, summary.lastSample().whiteCells());
            assertEquals(summary.lastSample().whiteCells(), journalCells(journal), "white cells in the journal");
            SmallDisk.assertNoLeftovers(data);
        } finally {
            SmallDisk.sh("umount", "-l", mnt.toString());
        }
    }

    private static int indexOf(List<JsonNode> nodes, java.util.function.Predicate<JsonNode> p) {
        for (int i = 0; i < nodes.size(); i++) {
            if (p.test(nodes.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String journalText(Path data) throws IOException {
        try (Stream<Path> s = Files.list(data.resolve("journal"))) {
            Path j = s.filter(p -> p.toString().endsWith(".ndjson")).findFirst().orElseThrow();
            return Files.readString(j, StandardCharsets.UTF_8);
        }
    }

    private static long journalCells(String journal) throws IOException {
        ObjectMapper json = new ObjectMapper();
        long n = 0;
        for (String l : journal.lines().filter(l -> l.contains("\"type\":\"field\"")).toList()) {
            var counts = json.readTree(l).path("counts").fields();
            while (counts.hasNext()) {
                n += counts.next().getValue().asLong();
            }
        }
        return n;
    }
}
