package org.hematovision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
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
import org.junit.jupiter.api.Assumptions;

/** What the storage-failure tests share: a small tmpfs, filling it, the status subscriber, the checks on the record. */
final class SmallDisk {

    private SmallDisk() {
    }

    /** Mounts a 16 MB tmpfs under {@code tmp}; skips the test, saying why, where that is not allowed. */
    static Path mount(Path tmp) throws IOException {
        Path mnt = Files.createDirectories(tmp.resolve("small-disk"));
        Assumptions.assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mnt.toString()),
                "cannot mount a 16 MB tmpfs here (needs root or CAP_SYS_ADMIN): the storage test is skipped");
        return mnt;
    }

    /** The small colour test model as a bundle named {@code name} (off the small disk). */
    static Path colourModel(Path tmp, String name) throws IOException {
        Path model = tmp.resolve("model");
        ColourModelAccess.exportSavedModel(model);
        ModelBundleWriter.write(model, new ModelMetadataBuilder(name,
                "0.1", List.of("red", "green", "blue", "grey")).inputSize(32, 32).build());
        return model;
    }

    /** The appliance on {@code data} with the test model, one sample that only the field limit ends. */
    static AppConfig config(Path data, int port, Path model) {
        return AppConfig.from(Settings.of(Map.of(
                "data.dir", data.toString(), "mqtt.port", String.valueOf(port), "inference.model", model.toString(),
                "sample.targetCells", "1000", "sample.maxFields", "0", "sample.maxMinutes", "0")));
    }

    /** Small still synthetic fields, a few white cells each. */
    static SyntheticSource fields(long seed) {
        return new SyntheticSource(new SyntheticSmear(
                SmearParams.defaults().withSize(320, 240).withCounts(3, 60, 6)),
                SyntheticSourceConfig.stills(), seed);
    }

    /** Writes until the file system refuses (ENOSPC), to the last byte; appends, so calling it again tops up. */
    static void fill(Path filler) throws IOException {
        for (int chunk : new int[] {1 << 20, 512}) {
            byte[] bytes = new byte[chunk];
            try (OutputStream out = Files.newOutputStream(filler, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                while (true) {
                    out.write(bytes);
                    out.flush();
                }
            } catch (IOException full) {
                // full at this granularity
            }
        }
    }

    /** Runs a command; false when it fails or cannot run (e.g. mount without root). */
    static boolean sh(String... cmd) {
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

    /**
     * Subscribes to the retained status (it goes straight to the broker, not through the outbox on the
     * full disk) and hands every {@code storage} object to {@code storage}; the client is closed with it.
     */
    static AutoCloseable statusSubscriber(int port, String clientId, Consumer<JsonNode> storage) throws MqttException {
        MqttClient sub = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        sub.connect();
        sub.subscribe("hematovision/+/status", 1, (topic, msg) ->
                storage.accept(new ObjectMapper().readTree(msg.getPayload()).path("storage")));
        return () -> {
            sub.disconnect();
            sub.close();
        };
    }

    /** The one stored record holds {@code fields} fields and {@code cells} white cells, in its report and journal. */
    static String assertRecordHolds(Path data, int fields, int cells) throws IOException {
        List<Path> reports;
        try (Stream<Path> s = Files.walk(data.resolve("records"))) {
            reports = s.filter(p -> p.getFileName().toString().equals("report.json")).toList();
        }
        assertEquals(1, reports.size(), reports::toString);
        JsonNode report = new ObjectMapper().readTree(reports.get(0).toFile());
        assertEquals(fields, report.path("fields").asInt(), report::toString);
        assertEquals(cells, report.path("leukocytes").asInt(), report::toString);
        String journal = Files.readString(reports.get(0).resolveSibling("journal.ndjson"));
        assertEquals(fields, fieldLines(journal), journal);
        return journal;
    }

    static long fieldLines(String journal) {
        return journal.lines().filter(l -> l.contains("\"type\":\"field\"")).count();
    }

    /** Nothing half-written is left behind. */
    static void assertNoLeftovers(Path data) throws IOException {
        try (Stream<Path> s = Files.walk(data)) {
            List<Path> leftovers = s.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".tmp") || n.startsWith(".tmp-") || n.startsWith(".old-");
            }).toList();
            assertEquals(List.of(), leftovers);
        }
    }
}
