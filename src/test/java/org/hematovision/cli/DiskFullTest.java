package org.hematovision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.hematovision.capture.synthetic.SmearParams;
import org.hematovision.capture.synthetic.SyntheticSmear;
import org.hematovision.capture.synthetic.SyntheticSource;
import org.hematovision.capture.synthetic.SyntheticSourceConfig;
import org.hematovision.classify.ColourModelAccess;
import org.hematovision.classify.ModelBundleWriter;
import org.hematovision.classify.ModelMetadataBuilder;
import org.hematovision.config.AppConfig;
import org.hematovision.config.Settings;
import org.hematovision.pipeline.RunLimits;
import org.hematovision.pipeline.RunLoop;
import org.junit.jupiter.api.Assumptions;
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
        Path mnt = Files.createDirectories(tmp.resolve("small-disk"));
        Assumptions.assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mnt.toString()),
                "cannot mount a 16 MB tmpfs here (needs root or CAP_SYS_ADMIN): the disk-full test is skipped");
        try {
            Path model = tmp.resolve("model");
            ColourModelAccess.exportSavedModel(model);
            ModelBundleWriter.write(model, new ModelMetadataBuilder("colour-diskfull", "0.1",
                    List.of("red", "green", "blue", "grey")).inputSize(32, 32).build());
            Path data = mnt.resolve("data");
            int port = HotPlugTest.freePort();
            AppConfig cfg = AppConfig.from(Settings.of(Map.of("data.dir", data.toString(),
                    "mqtt.port", String.valueOf(port), "inference.model", model.toString(),
                    "sample.targetCells", "1000", "sample.maxFields", "0", "sample.maxMinutes", "0")));
            SyntheticSource fields = new SyntheticSource(new SyntheticSmear(SmearParams.defaults().withSize(320, 240)
                    .withCounts(3, 60, 6)), SyntheticSourceConfig.stills(), 5);
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
                        fill(filler);
                    } else if (analysed[0] == BEFORE + FULL) {
                        journalAtFullEnd.set(journalText(data));
                        Files.delete(filler); // space returns
                    }
                } catch (IOException e) {
                    problems.add(e.toString());
                }
            })) {
                // The retained status goes straight to the broker (not through the outbox on the full disk).
                MqttClient sub = new MqttClient("tcp://127.0.0.1:" + port, "diskfull-sub", new MemoryPersistence());
                sub.connect();
                sub.subscribe("hematovision/+/status", 1, (topic, msg) ->
                        storageStates.add(new ObjectMapper().readTree(msg.getPayload()).path("storage")));
                try {
                    summary = app.run();
                } finally {
                    sub.disconnect();
                    sub.close();
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
            long journalledWhileFull = fieldLines(journalAtFullEnd.get());
            assertTrue(journalledWhileFull < BEFORE + FULL, "journal kept up although the disk was full ("
                    + journalledWhileFull + " lines)");

            // Once space returned the journal caught up and the record holds every counted field and cell.
            List<Path> reports;
            try (Stream<Path> s = Files.walk(data.resolve("records"))) {
                reports = s.filter(p -> p.getFileName().toString().equals("report.json")).toList();
            }
            assertEquals(1, reports.size(), reports::toString);
            JsonNode report = new ObjectMapper().readTree(reports.get(0).toFile());
            assertEquals(BEFORE + FULL + AFTER, report.path("fields").asInt(), report::toString);
            assertEquals(summary.lastSample().whiteCells(), report.path("leukocytes").asInt(), report::toString);
            assertTrue(summary.lastSample().whiteCells() > 0);
            String journal = Files.readString(reports.get(0).resolveSibling("journal.ndjson"));
            assertEquals(BEFORE + FULL + AFTER, fieldLines(journal), journal);
            assertEquals(summary.lastSample().whiteCells(), journalCells(journal), "white cells in the journal");

            // Nothing half-written is left behind.
            try (Stream<Path> s = Files.walk(data)) {
                List<Path> leftovers = s.filter(p -> {
                    String n = p.getFileName().toString();
                    return n.endsWith(".tmp") || n.startsWith(".tmp-") || n.startsWith(".old-");
                }).toList();
                assertEquals(List.of(), leftovers);
            }
        } finally {
            sh("umount", "-l", mnt.toString());
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

    /** Writes until the file system refuses (ENOSPC). */
    private static void fill(Path filler) throws IOException {
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("space")) {
                throw full;
            }
        }
        // Fill the last partial chunk too, byte-exact.
        try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.APPEND)) {
            byte[] small = new byte[512];
            while (true) {
                out.write(small);
                out.flush();
            }
        } catch (IOException full) {
            // full now
        }
    }

    private static String journalText(Path data) throws IOException {
        try (Stream<Path> s = Files.list(data.resolve("journal"))) {
            Path j = s.filter(p -> p.toString().endsWith(".ndjson")).findFirst().orElseThrow();
            return Files.readString(j, StandardCharsets.UTF_8);
        }
    }

    private static long fieldLines(String journal) {
        return journal.lines().filter(l -> l.contains("\"type\":\"field\"")).count();
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

    private static boolean sh(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
