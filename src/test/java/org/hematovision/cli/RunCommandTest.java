package org.hematovision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.hematovision.classify.ColourModelAccess;
import org.hematovision.classify.ModelBundleWriter;
import org.hematovision.classify.ModelMetadataBuilder;
import org.hematovision.mqtt.EmbeddedBroker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The appliance end to end through the real command line: synthetic slide, real OpenCV
 * segmentation, a real TensorFlow model, the in-process broker with a real Paho subscriber, the
 * PNG display and the record store. Plus the failures a user can cause, each with its message.
 */
class RunCommandTest {

    @TempDir
    static Path shared;

    static Path model;

    /**
     * A small real SavedModel (colour classes) so the test does not depend on the trained bundle.
     * Its review threshold is set so high that every cell it sees goes to review: each analysed
     * white cell then raises an alert, which makes the alert path certain to run.
     */
    @BeforeAll
    static void exportModel() throws IOException {
        model = shared.resolve("model");
        ColourModelAccess.exportSavedModel(model);
        ModelBundleWriter.write(model, new ModelMetadataBuilder("colour-e2e", "0.1",
                List.of("red", "green", "blue", "grey")).inputSize(32, 32).abnormalLabels("blue")
                .minProbability(0.999).build());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** What a run printed and what a subscriber saw on the broker while it ran. */
    record Observed(CliRunner.Result result, Map<String, List<JsonNode>> byLeaf, List<String> topics) {
        List<JsonNode> leaf(String name) {
            return byLeaf.getOrDefault(name, List.of());
        }
    }

    /**
     * Runs {@code run ARGS} with the in-process broker on {@code port} and subscribes to every topic
     * as soon as the broker listens (it starts inside the run).
     */
    static Observed runSubscribed(int port, String... args) throws Exception {
        Map<String, List<JsonNode>> byLeaf = new ConcurrentHashMap<>();
        List<String> topics = new CopyOnWriteArrayList<>();
        ObjectMapper json = new ObjectMapper();
        CliRunner.Result[] result = new CliRunner.Result[1];
        Thread runner = new Thread(() -> result[0] = CliRunner.run(args));
        boolean external = java.util.Arrays.stream(args).anyMatch(a -> a.startsWith("mqtt.broker=tcp:"));
        if (!external) {
            runner.start();
        }
        MqttClient sub = new MqttClient("tcp://127.0.0.1:" + port, "e2e-sub", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!sub.isConnected() && (external || runner.isAlive())) {
            try {
                sub.connect(o);
            } catch (Exception notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("embedded broker never accepted a connection on " + port, notYet);
                }
                Thread.sleep(50);
            }
        }
        if (sub.isConnected()) {
            sub.subscribe("hematovision/#", 1, (topic, msg) -> {
                topics.add(topic);
                String leaf = topic.substring(topic.lastIndexOf('/') + 1);
                byLeaf.computeIfAbsent(leaf, k -> new CopyOnWriteArrayList<>()).add(json.readTree(msg.getPayload()));
            });
        }
        if (external) {
            runner.start();
        }
        runner.join(TimeUnit.MINUTES.toMillis(5));
        if (sub.isConnected()) {
            sub.disconnect();
        }
        sub.close();
        return new Observed(result[0], byLeaf, topics);
    }

    /**
     * The whole appliance against a broker that is up before the run starts (the same in-process
     * broker class the default run uses), so the subscriber sees every message from the first one.
     */
    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void runPublishesEveryKindOfMessageAndStopsAtTwentyFields(@TempDir Path data) throws Exception {
        int port = freePort();
        Observed seen;
        try (EmbeddedBroker broker = EmbeddedBroker.start(port)) {
            seen = runSubscribed(port, "run", "--fields", "20", "--model", model.toString(),
                    "--set", "data.dir=" + data, "--set", "mqtt.broker=tcp://127.0.0.1:" + port);
        }
        CliRunner.Result r = seen.result();
        assertEquals(0, r.exitCode(), r.err());
        long fieldLines = r.out().lines().filter(l -> l.startsWith("field ")).count();
        assertEquals(20, fieldLines, r.out());
        assertTrue(r.out().contains("stopped: field limit 20 reached"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("differential ")), r.out());

        // Every field, in order, reached the subscriber.
        assertEquals(20, seen.leaf("field").size(), seen.topics()::toString);
        assertTrue(!seen.leaf("differential").isEmpty(), seen.topics()::toString);
        assertTrue(!seen.leaf("status").isEmpty(), seen.topics()::toString);
        assertTrue(!seen.leaf("alert").isEmpty(), () -> "no alert published: " + seen.topics());
        List<JsonNode> diffs = seen.leaf("differential");
        JsonNode lastDiff = diffs.get(diffs.size() - 1);
        assertEquals(1, lastDiff.path("schema").asInt(), lastDiff.toString());
        // The closed sample's stored record (intervals, flags) follows the differential.
        assertEquals(1, seen.leaf("report").size(), seen.topics()::toString);
        JsonNode report = seen.leaf("report").get(0).path("report");
        assertEquals(lastDiff.path("sampleId").asText(), seen.leaf("report").get(0).path("sampleId").asText());
        assertTrue(report.size() > 0, report::toString);

        // The virtual display wrote a real PNG.
        Path png = data.resolve("display.png");
        assertTrue(Files.exists(png), "no display PNG at " + png);
        assertTrue(ImageIO.read(png.toFile()).getWidth() > 0);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void fieldsOptionIsOneSampleOfThatManyFieldsEvenAboveSampleMaxFields(@TempDir Path data) throws Exception {
        // sample.maxFields = 2 would close the sample, and with it the run, after 2 fields
        int port = freePort();
        Observed seen = runSubscribed(port, "run", "--fields", "3", "--model", model.toString(),
                "--set", "data.dir=" + data, "--set", "mqtt.port=" + port, "--set", "sample.maxFields=2");
        CliRunner.Result r = seen.result();
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(3, r.out().lines().filter(l -> l.startsWith("field ")).count(), r.out());
        assertTrue(r.out().contains("stopped: field limit 3 reached"), r.out());
        assertEquals(1, seen.leaf("report").size(), seen.topics()::toString);
    }

    @Test
    void unknownConfigKeyIsNamed(@TempDir Path dir) throws IOException {
        Path conf = dir.resolve("h.conf");
        Files.writeString(conf, "capture.widht = 640\n");
        CliRunner.Result r = CliRunner.run("run", "--config", conf.toString(), "--model", model.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("capture.widht: unknown key"), r.err());
    }

    @Test
    void badValueNamesKeyAndAllowedValues() {
        CliRunner.Result r = CliRunner.run("run", "--set", "gate.settleFrames=none", "--model", model.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("gate.settleFrames: \"none\" is not a whole number"), r.err());
        CliRunner.Result range = CliRunner.run("run", "--set", "gate.settleFrames=0", "--model", model.toString());
        assertEquals(1, range.exitCode());
        assertTrue(range.err().contains("gate.settleFrames: 0 is out of range (allowed: 1..1000)"), range.err());
    }

    @Test
    void badSourceNamesTheAllowedForms() {
        CliRunner.Result r = CliRunner.run("run", "--source", "usb0", "--model", model.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("capture.source") && r.err().contains("v4l2:/dev/videoN"), r.err());
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void missingCameraIsReportedAndTheRunKeepsTrying(@TempDir Path data) throws Exception {
        // No camera at this path: the service says so in its status and keeps retrying until stopped.
        int port = freePort();
        Observed seen;
        // a broker up before the run: the subscriber is in place before the first status (with the broker the
        // run starts itself, a status published while the subscription is being made can be missed)
        try (EmbeddedBroker broker = EmbeddedBroker.start(port)) {
            seen = runSubscribed(port, "run", "--source", "v4l2:/dev/video-missing-77", "--model",
                    model.toString(), "--set", "data.dir=" + data, "--set", "mqtt.broker=tcp://127.0.0.1:" + port,
                    "--set", "capture.reconnectMinBackoffMillis=100", "--set", "capture.reconnectMaxBackoffMillis=200",
                    "--duration", "4");
        }
        assertEquals(0, seen.result().exitCode(), seen.result().err());
        assertTrue(seen.result().out().contains("time limit 4 s reached"), seen.result().out());
        assertTrue(seen.leaf("status").stream().anyMatch(n -> n.toString().contains("/dev/video-missing-77 not found")),
                () -> "statuses: " + seen.leaf("status"));
    }

    @Test
    void corruptModelBundleNamesTheFile(@TempDir Path dir) throws IOException {
        Path broken = dir.resolve("broken");
        ColourModelAccess.exportSavedModel(broken);
        ModelBundleWriter.write(broken, new ModelMetadataBuilder("colour-e2e", "0.1",
                List.of("red", "green", "blue", "grey")).inputSize(32, 32).build());
        Path variables = broken.resolve("saved_model/variables/variables.data-00000-of-00001");
        byte[] bytes = Files.readAllBytes(variables);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(variables, bytes);
        CliRunner.Result r = CliRunner.run("run", "--model", broken.toString(), "--set", "data.dir=" + dir);
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("variables.data-00000-of-00001: checksum mismatch"), r.err());
    }

    @Test
    void missingModelNamesTheDirectory(@TempDir Path dir) {
        CliRunner.Result r = CliRunner.run("run", "--model", dir.resolve("nothing").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("nothing"), r.err());
    }
}
