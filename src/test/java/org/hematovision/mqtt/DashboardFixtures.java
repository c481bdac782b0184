package org.hematovision.mqtt;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hematovision.mqtt.outbox.FileOutbox;
import org.hematovision.sample.DeviceStatus;

/** Test fixtures of this package made public for the dashboard tests. */
public final class DashboardFixtures {

    private DashboardFixtures() {
    }

    public static int freePort() throws java.io.IOException {
        return Mosquitto.freePort();
    }

    public static MqttConfig config(String uri, String device, Path outbox) {
        return Fixtures.config(uri, device, outbox);
    }

    public static MqttPublisher publisher(String uri, String device, Path outbox) throws java.io.IOException {
        MqttConfig cfg = Fixtures.config(uri, device, outbox);
        return new MqttPublisher(cfg, Fixtures.INFO, FileOutbox.open(outbox, cfg.outboxMaxBytes()), null,
                ConnectionListener.NONE).start();
    }

    public static void awaitConnected(MqttPublisher p) throws InterruptedException {
        long end = System.currentTimeMillis() + 20_000;
        while (!p.connected() && System.currentTimeMillis() < end) {
            Thread.sleep(20); // bounded poll of the link state
        }
        if (!p.connected()) {
            throw new AssertionError("publisher did not connect: " + p.lastConnectionError());
        }
    }

    /** A sample of {@code fields} fields (4 white cells each, 2 neutrophils) and one alert, left running. */
    public static void runSample(MqttPublisher p, String sampleId, int fields) throws InterruptedException {
        awaitConnected(p);
        p.status(new DeviceStatus(DeviceStatus.State.ANALYSING, ""));
        p.sampleStarted(sampleId, 100);
        for (int i = 0; i < fields; i++) {
            p.fieldAnalysed(Fixtures.field(sampleId, i), Fixtures.differential(sampleId, i + 1));
        }
        p.alert(Fixtures.alert(sampleId, 1));
    }
}
