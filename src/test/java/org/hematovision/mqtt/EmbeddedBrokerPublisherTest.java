package org.hematovision.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.hematovision.mqtt.outbox.FileOutbox;
import org.hematovision.sample.DeviceStatus;
import org.hematovision.sample.SampleControl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The publisher through the in-process Moquette broker to a real Paho subscriber. */
@SuppressWarnings("try") // resources kept open for the test, used through the broker
@Timeout(60)
class EmbeddedBrokerPublisherTest {

    @TempDir
    Path tmp;

    @Test
    void everyMessageArrivesAndMatchesItsDocumentedSchema() throws Exception {
        int port = Mosquitto.freePort();
        try (EmbeddedBroker broker = EmbeddedBroker.start(port);
             TestSubscriber sub = new TestSubscriber(broker.uri(), "hematovision/#", false)) {
            MqttConfig cfg = Fixtures.config(broker.uri(), "dev-a", tmp.resolve("outbox"));
            AtomicInteger newSamples = new AtomicInteger();
            CountDownLatch connected = new CountDownLatch(1);
            try (MqttPublisher pub = new MqttPublisher(cfg, Fixtures.INFO,
                    FileOutbox.open(cfg.outboxDir(), cfg.outboxMaxBytes()), control(newSamples), new ConnectionListener() {
                        @Override
                        public void connected(String uri) {
                            connected.countDown();
                        }
                    }).start()) {
                assertTrue(connected.await(20, TimeUnit.SECONDS), "publisher connected");
                pub.status(new DeviceStatus(DeviceStatus.State.ANALYSING, "sample S1"));
                pub.sampleStarted("S1", 100);
                for (int i = 0; i < 3; i++) {
                    pub.fieldAnalysed(Fixtures.field("S1", i), Fixtures.differential("S1", i + 1));
                }
                pub.alert(Fixtures.alert("S1", 2));
                pub.sampleFinished(Fixtures.differential("S1", 3), "target reached");

                List<TestSubscriber.Received> got = sub.await(rs -> TestSubscriber.count(rs, "sample") == 2
                        && TestSubscriber.count(rs, "field") == 3 && TestSubscriber.count(rs, "differential") == 3
                        && TestSubscriber.count(rs, "alert") == 1
                        && rs.stream().anyMatch(r -> r.json().path("state").asText().equals("ANALYSING")),
                        Duration.ofSeconds(20), "all messages");

                long lastSeq = 0;
                Set<String> types = new HashSet<>();
                for (TestSubscriber.Received r : got) {
                    JsonNode j = r.json();
                    String type = j.path("type").asText();
                    types.add(type);
                    assertEquals("hematovision/dev-a/" + type, r.topic());
                    assertEquals(List.of(), SchemaCheck.violations(SchemaCheck.schema(type), j), r.topic() + " " + j);
                    if (!type.equals("status")) {
                        assertTrue(j.get("seq").asLong() > lastSeq, "data messages in sequence order");
                        lastSeq = j.get("seq").asLong();
                    }
                }
                assertEquals(Set.of("status", "sample", "field", "differential", "alert"), types);
                // the birth message carries versions and config digest
                JsonNode birth = got.stream().filter(r -> r.topic().endsWith("/status")).findFirst().orElseThrow().json();
                assertEquals("online", birth.get("status").asText());
                assertEquals("mobilenetv2-pbc", birth.at("/model/name").asText());
                assertEquals("sha256:abc123", birth.get("configDigest").asText());
                sub.await(rs -> true, Duration.ZERO, "");

                // a valid remote command reaches SampleControl, a malformed one does not
                MqttClient cmd = new MqttClient(broker.uri(), "cmd", new MemoryPersistence());
                cmd.connect();
                cmd.publish("hematovision/dev-a/command", "{\"schema\":1,\"command\":\"new-sample\",\"x\":1}".getBytes(), 1, false);
                cmd.publish("hematovision/dev-a/command", "{\"schema\":2,\"command\":\"new-sample\"}".getBytes(), 1, false);
                cmd.publish("hematovision/dev-a/command", "{\"schema\":1,\"command\":\"new-sample\"}".getBytes(), 1, false);
                cmd.disconnect();
                cmd.close();
                synchronized (newSamples) {
                    long end = System.currentTimeMillis() + 10_000;
                    while (newSamples.get() == 0 && System.currentTimeMillis() < end) {
                        newSamples.wait(200);
                    }
                }
                assertEquals(1, newSamples.get(), "only the valid command was carried out");
                assertEquals(0, awaitDrained(pub));
            }
            // clean close: retained offline
            List<TestSubscriber.Received> after = sub.await(rs -> rs.stream().anyMatch(r -> r.topic().endsWith("/status")
                    && r.json().path("status").asText().equals("offline")), Duration.ofSeconds(10), "offline status");
            assertFalse(after.isEmpty());
        }
    }

    @Test
    void aFullOutboxDropsFieldsKeepsSummariesAndReportsTheDrop() throws Exception {
        int port = Mosquitto.freePort();
        MqttConfig base = Fixtures.config("tcp://127.0.0.1:" + port, "dev-f", tmp.resolve("outbox"));
        MqttConfig tiny = new MqttConfig(base.broker(), base.embeddedPort(), base.deviceId(), base.topicPrefix(),
                base.username(), base.password(), base.caFile(), base.clientCert(), base.clientKey(),
                base.clientKeyPassword(), base.keepAlive(), base.outboxDir(), MqttConfig.MIN_OUTBOX_MAX_BYTES,
                base.backoffMin(), base.backoffMax());
        int fields = 60;
        try (MqttPublisher pub = new MqttPublisher(tiny, Fixtures.INFO, FileOutbox.open(tiny.outboxDir(),
                tiny.outboxMaxBytes()), null, ConnectionListener.NONE).start()) {
            pub.sampleStarted("F1", 0); // offline: nothing listens on the port
            for (int i = 0; i < fields; i++) {
                pub.fieldAnalysed(Fixtures.field("F1", i), Fixtures.differential("F1", i + 1));
                if (i % 10 == 0) {
                    pub.alert(Fixtures.alert("F1", i));
                }
            }
            pub.sampleFinished(Fixtures.differential("F1", fields), "field limit");
        }
        try (EmbeddedBroker broker = EmbeddedBroker.start(port);
             TestSubscriber sub = new TestSubscriber(broker.uri(), "hematovision/#", false);
             MqttPublisher pub = new MqttPublisher(tiny, Fixtures.INFO, FileOutbox.open(tiny.outboxDir(),
                     tiny.outboxMaxBytes()), null, ConnectionListener.NONE).start()) {
            List<TestSubscriber.Received> got = sub.await(rs -> TestSubscriber.count(rs, "sample") == 2
                    && TestSubscriber.count(rs, "alert") == 6, Duration.ofSeconds(20), "summaries and alerts");
            assertEquals(0, awaitDrained(pub));
            // acknowledged by the broker is not yet forwarded: wait until the accounts can balance
            got = sub.await(rs -> rs.stream().filter(r -> r.topic().endsWith("/dropped"))
                    .mapToLong(r -> r.json().get("count").asLong()).sum() + TestSubscriber.count(rs, "field")
                    + TestSubscriber.count(rs, "differential") >= 2L * fields, Duration.ofSeconds(20),
                    "every per-field message delivered or reported");
            long droppedReported = got.stream().filter(r -> r.topic().endsWith("/dropped"))
                    .mapToLong(r -> r.json().get("count").asLong()).sum();
            long fieldsArrived = TestSubscriber.count(got, "field") + TestSubscriber.count(got, "differential");
            System.out.printf("full outbox: %d per-field messages made, %d delivered, %d reported dropped%n",
                    2L * fields, fieldsArrived, droppedReported);
            assertTrue(droppedReported > 0, "the drop was reported");
            assertEquals(2L * fields, fieldsArrived + droppedReported, "every per-field message delivered or reported");
            for (TestSubscriber.Received r : got) {
                assertEquals(List.of(), SchemaCheck.violations(SchemaCheck.schema(r.json().get("type").asText()), r.json()));
            }
        }
    }

    @Test
    void startRunsTheEmbeddedBrokerOnlyWhenConfigured() throws Exception {
        int port = Mosquitto.freePort();
        MqttConfig embedded = MqttConfig.fromProperties(java.util.Map.of("mqtt.port", Integer.toString(port),
                "mqtt.deviceId", "dev-e", "mqtt.outbox.dir", tmp.resolve("oe").toString()));
        try (MqttPublisher pub = MqttPublisher.start(embedded, Fixtures.INFO, null)) {
            assertEquals("online", retainedStatus("tcp://127.0.0.1:" + port, pub).json().get("status").asText());
        }
        // with a real broker configured the device listens nowhere: mqtt.port stays free
        MqttConfig remote = MqttConfig.fromProperties(java.util.Map.of("mqtt.broker", "tcp://127.0.0.1:" + Mosquitto.freePort(),
                "mqtt.port", Integer.toString(port), "mqtt.outbox.dir", tmp.resolve("or").toString()));
        try (MqttPublisher pub = MqttPublisher.start(remote, Fixtures.INFO, null);
             java.net.ServerSocket free = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertFalse(pub.connected());
            assertEquals(port, free.getLocalPort());
        }
    }

    @Test
    void aMissingCaFileFailsAtStartNamingTheKey() {
        MqttConfig c = MqttConfig.fromProperties(java.util.Map.of("mqtt.broker", "ssl://127.0.0.1:8883",
                "mqtt.tls.ca", tmp.resolve("nope.pem").toString(), "mqtt.outbox.dir", tmp.resolve("o").toString()));
        org.hematovision.config.ConfigException e = assertThrows(org.hematovision.config.ConfigException.class,
                () -> MqttPublisher.start(c, Fixtures.INFO, null));
        assertEquals("mqtt.tls.ca", e.key());
        assertTrue(e.getMessage().contains("nope.pem"), e.getMessage());
    }

    @Test
    void aTakenPortIsReportedClearly() throws IOException {
        int port = Mosquitto.freePort();
        try (EmbeddedBroker first = EmbeddedBroker.start(port)) {
            IOException e = assertThrows(IOException.class, () -> EmbeddedBroker.start(port));
            assertTrue(e.getMessage().contains("127.0.0.1:" + port + " is already in use"), e.getMessage());
        }
    }

    /**
     * The retained status as a subscriber that arrives after the publisher finds it. Moquette 0.17
     * routes a retained publish to the current subscribers before it stores it, so a subscription
     * made in that gap receives neither the live message nor the stored one; a subscriber that
     * comes later always gets the stored one, so the test subscribes again until it does.
     */
    static TestSubscriber.Received retainedStatus(String uri, MqttPublisher pub) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        AssertionError last = null;
        while (System.nanoTime() < end) {
            try (TestSubscriber sub = new TestSubscriber(uri, "hematovision/+/status", false)) {
                return sub.await(rs -> !rs.isEmpty(), Duration.ofSeconds(5), "the retained status").get(0);
            } catch (AssertionError e) {
                last = e;
            }
        }
        throw new AssertionError(last.getMessage() + "; " + state(pub), last);
    }

    /** The publisher's side of a failed wait. */
    static String state(MqttPublisher pub) {
        return "publisher " + (pub.connected() ? "connected" : "not connected, last error: " + pub.lastConnectionError())
                + ", " + pub.pendingCount() + " message(s) pending of " + pub.lastSequence();
    }

    static int awaitDrained(MqttPublisher pub) throws InterruptedException {
        long end = System.currentTimeMillis() + 15_000;
        while (pub.pendingCount() > 0 && System.currentTimeMillis() < end) {
            Thread.sleep(20); // the outbox has no change event; bounded poll of a counter
        }
        return pub.pendingCount();
    }

    static SampleControl control(AtomicInteger newSamples) {
        return new SampleControl() {
            @Override
            public void newSample() {
                synchronized (newSamples) {
                    newSamples.incrementAndGet();
                    newSamples.notifyAll();
                }
            }

            @Override
            public void finishOrAcknowledge() {
            }

            @Override
            public void shutdown() {
            }
        };
    }
}
