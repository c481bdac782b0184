package org.hematovision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.hematovision.capture.CaptureConfig;
import org.hematovision.capture.CaptureException;
import org.hematovision.capture.Frame;
import org.hematovision.capture.FrameSource;
import org.hematovision.capture.ReconnectingSource;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Camera hot-plug through the whole appliance: a live synthetic camera behind the production
 * {@link ReconnectingSource} (default backoff) is "unplugged" (reads and reopen attempts fail, as
 * when {@code /dev/video0} disappears) and plugged back. The broker's retained status must say
 * CAMERA_MISSING, and analysis must resume within 5 s of the device returning.
 */
class HotPlugTest {

    /** A camera that can be unplugged: while unplugged, open and read both fail like a vanished device node. */
    static final class Camera {
        final AtomicBoolean unplugged = new AtomicBoolean();
        final AtomicLong opens = new AtomicLong();
        final SyntheticSource scene = new SyntheticSource(new SyntheticSmear(SmearParams.defaults().withSize(320, 240)
                .withCounts(2, 60, 6)), SyntheticSourceConfig.live(), 7);

        FrameSource open() throws CaptureException {
            if (unplugged.get()) {
                throw new CaptureException("camera /dev/video-hotplug not found");
            }
            opens.incrementAndGet();
            return new FrameSource() {
                @Override
                public Optional<Frame> next() throws CaptureException {
                    if (unplugged.get()) {
                        throw new CaptureException("camera /dev/video-hotplug: read failed (No such device)");
                    }
                    return scene.next();
                }

                @Override
                public String description() {
                    return "hotplug camera";
                }

                @Override
                public void close() {
                    // the scene outlives each opening of the device
                }
            };
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void unpluggedCameraIsReportedAndAnalysisResumesWithinFiveSecondsOfItsReturn(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("model");
        ColourModelAccess.exportSavedModel(model);
        ModelBundleWriter.write(model, new ModelMetadataBuilder("colour-hotplug", "0.1",
                List.of("red", "green", "blue", "grey")).inputSize(32, 32).build());
        int port = freePort();
        AppConfig cfg = AppConfig.from(Settings.of(Map.of("data.dir", dir.resolve("data").toString(),
                "mqtt.port", String.valueOf(port), "inference.model", model.toString(), "sample.maxMinutes", "0",
                "sample.maxFields", "0", "sample.targetCells", "1000")));
        CaptureConfig capture = CaptureConfig.defaults();
        Camera camera = new Camera();
        ReconnectingSource source = new ReconnectingSource(camera::open, "v4l2:/dev/video-hotplug",
                capture.reconnectMinBackoffMillis(), capture.reconnectMaxBackoffMillis());

        List<Long> fieldTimes = new CopyOnWriteArrayList<>();
        CountDownLatch firstFields = new CountDownLatch(3);
        CountDownLatch missing = new CountDownLatch(1);
        CountDownLatch back = new CountDownLatch(1);
        List<String> states = new CopyOnWriteArrayList<>();
        ObjectMapper json = new ObjectMapper();

        try (Appliance app = Appliance.start(cfg, source, new RunLimits(0, 0, 0, 180, false), line -> {
            if (line.startsWith("field ")) {
                fieldTimes.add(System.nanoTime());
                firstFields.countDown();
            }
        })) {
            RunLoop.Summary[] summary = new RunLoop.Summary[1];
            Thread runner = new Thread(() -> summary[0] = app.run(), "run-loop");
            runner.start();
            MqttClient sub = new MqttClient("tcp://127.0.0.1:" + port, "hotplug-sub", new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(true);
            sub.connect(o);
            sub.subscribe("hematovision/+/status", 1, (topic, msg) -> {
                JsonNode n = json.readTree(msg.getPayload());
                String state = n.path("state").asText();
                states.add(state + ": " + n.path("detail").asText());
                if (state.equals("CAMERA_MISSING")) {
                    missing.countDown();
                } else if (state.equals("ANALYSING") && missing.getCount() == 0) {
                    back.countDown();
                }
            });
            try {
                assertTrue(firstFields.await(90, TimeUnit.SECONDS), "no field analysed before the unplug");

                camera.unplugged.set(true);
                assertTrue(missing.await(20, TimeUnit.SECONDS), "no CAMERA_MISSING status: " + states);
                long fieldsWhileUnplugged = fieldTimes.size();
                // Let the backoff grow to its maximum, as a camera left unplugged for a while would.
                Thread.sleep(capture.reconnectMaxBackoffMillis() + 1_000);
                assertEquals(fieldsWhileUnplugged, fieldTimes.size(), "fields analysed while the camera was unplugged");

                long plugged = System.nanoTime();
                camera.unplugged.set(false);
                assertTrue(back.await(20, TimeUnit.SECONDS), "no ANALYSING status after the camera returned: " + states);
                long deadline = plugged + TimeUnit.SECONDS.toNanos(30);
                while (fieldTimes.stream().noneMatch(t -> t > plugged) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                long firstAfter = fieldTimes.stream().filter(t -> t > plugged).findFirst()
                        .orElseThrow(() -> new AssertionError("analysis did not resume after the camera returned"));
                long resumeMillis = TimeUnit.NANOSECONDS.toMillis(firstAfter - plugged);
                System.out.println("hot-plug: first field " + resumeMillis + " ms after the camera returned");
                assertTrue(resumeMillis <= 5_000, "first field " + resumeMillis + " ms after the camera returned");
                assertTrue(camera.opens.get() >= 2, "the device was reopened");
                assertTrue(states.stream().anyMatch(s -> s.startsWith("CAMERA_MISSING") && s.contains("/dev/video-hotplug")),
                        states::toString);
            } finally {
                app.operator().shutdown();
                runner.join(TimeUnit.SECONDS.toMillis(60));
                sub.disconnect();
                sub.close();
            }
            assertTrue(summary[0] != null && summary[0].endReason().equals("stopped by operator"),
                    () -> "run did not stop cleanly: " + (summary[0] == null ? "still running" : summary[0].endReason()));
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
