package org.hematovision.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hematovision.mqtt.outbox.FileOutbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The publisher against Debian's mosquitto, started by the test on 127.0.0.1. */
@Timeout(180)
class MosquittoPublisherTest {

    private static final String PERSISTENT = "persistence true\npersistence_location %s/\nmax_queued_messages 0\n";

    @TempDir
    Path tmp;

    private MqttPublisher publisher(MqttConfig cfg, ConnectionListener l) throws Exception {
        return new MqttPublisher(cfg, Fixtures.INFO, FileOutbox.open(cfg.outboxDir(), cfg.outboxMaxBytes()), null, l).start();
    }

    private static ConnectionListener onConnect(CountDownLatch latch) {
        return new ConnectionListener() {
            @Override
            public void connected(String uri) {
                latch.countDown();
            }
        };
    }

    @Test
    void twoDevicesWithOneIdBackOffInsteadOfKickingEachOtherOutInALoop() throws Exception {
        // The broker drops the older of two clients with one id. Reconnecting at once after a connection
        // that lasted only moments made a loop of about 3 connects a second for the two here (a new Paho
        // client, a birth message and two log lines each). With a backoff of 1..4 s, 6 s allow about
        // 4 connects per device (at 0, 1, 3 and 7 s, less jitter).
        try (Mosquitto broker = Mosquitto.start(tmp, "")) {
            java.util.concurrent.atomic.AtomicInteger connects = new java.util.concurrent.atomic.AtomicInteger();
            ConnectionListener count = new ConnectionListener() {
                @Override
                public void connected(String uri) {
                    connects.incrementAndGet();
                }
            };
            try (MqttPublisher a = publisher(slowBackoff(broker.uri(), tmp.resolve("outbox-a")), count);
                 MqttPublisher b = publisher(slowBackoff(broker.uri(), tmp.resolve("outbox-b")), count)) {
                Thread.sleep(6000);
            }
            System.out.println("connects of two devices with one id in 6 s: " + connects.get());
            assertTrue(connects.get() >= 3, "they did connect and take turns: " + connects.get());
            assertTrue(connects.get() <= 10, "connects in 6 s: " + connects.get());
        }
    }

    private static MqttConfig slowBackoff(String broker, Path outbox) {
        MqttConfig c = Fixtures.config(broker, "dev-twin", outbox);
        return new MqttConfig(c.broker(), c.embeddedPort(), c.deviceId(), c.topicPrefix(), c.username(), c.password(),
                c.caFile(), c.clientCert(), c.clientKey(), c.clientKeyPassword(), c.keepAlive(), c.outboxDir(),
                c.outboxMaxBytes(),
                java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(4));
    }

    @Test
    void messagesArriveAndTheStatusIsRetained() throws Exception {
        try (Mosquitto broker = Mosquitto.start(tmp, "");
             TestSubscriber sub = new TestSubscriber(broker.uri(), "hematovision/#", false)) {
            MqttConfig cfg = Fixtures.config(broker.uri(), "dev-m", tmp.resolve("outbox"));
            CountDownLatch up = new CountDownLatch(1);
            try (MqttPublisher pub = publisher(cfg, onConnect(up))) {
                assertTrue(up.await(20, TimeUnit.SECONDS));
                pub.sampleStarted("M1", 50);
                pub.fieldAnalysed(Fixtures.field("M1", 0), Fixtures.differential("M1", 1));
                pub.alert(Fixtures.alert("M1", 0));
                pub.sampleFinished(Fixtures.differential("M1", 1), "operator finish");
                List<TestSubscriber.Received> got = sub.await(rs -> TestSubscriber.count(rs, "sample") == 2
                        && TestSubscriber.count(rs, "alert") == 1 && TestSubscriber.count(rs, "field") == 1
                        && TestSubscriber.count(rs, "differential") == 1, Duration.ofSeconds(20), "messages via mosquitto");
                for (TestSubscriber.Received r : got) {
                    assertEquals(List.of(), SchemaCheck.violations(SchemaCheck.schema(r.json().get("type").asText()), r.json()));
                }
                // a subscriber arriving later still learns the device is online: the status is retained
                try (TestSubscriber late = new TestSubscriber(broker.uri(), "hematovision/+/status", false)) {
                    TestSubscriber.Received s = late.await(rs -> !rs.isEmpty(), Duration.ofSeconds(10), "retained status").get(0);
                    assertTrue(s.retained());
                    assertEquals("online", s.json().get("status").asText());
                    assertEquals("0.1.0-test", s.json().get("softwareVersion").asText());
                }
            }
            try (TestSubscriber late = new TestSubscriber(broker.uri(), "hematovision/+/status", false)) {
                TestSubscriber.Received s = late.await(rs -> !rs.isEmpty(), Duration.ofSeconds(10), "retained offline").get(0);
                assertEquals("offline", s.json().get("status").asText(), "clean stop says offline itself");
                assertEquals("STOPPED", s.json().get("state").asText());
            }
        }
    }

    @Test
    void brokerOutageDuringAHighRateRunLosesNothingAndDuplicatesAreDropped() throws Exception {
        Path bdir = Files.createDirectories(tmp.resolve("broker"));
        try (Mosquitto broker = Mosquitto.start(bdir, String.format(PERSISTENT, bdir));
             TestSubscriber sub = new TestSubscriber(broker.uri(), "hematovision/#", true)) {
            MqttConfig cfg = Fixtures.config(broker.uri(), "dev-o", tmp.resolve("outbox"));
            CountDownLatch up = new CountDownLatch(1);
            CountDownLatch failedWhileDown = new CountDownLatch(2);
            ConnectionListener l = new ConnectionListener() {
                @Override
                public void connected(String uri) {
                    up.countDown();
                }

                @Override
                public void connectFailed(String message) {
                    failedWhileDown.countDown();
                }
            };
            int fields = 1500;
            try (MqttPublisher pub = publisher(cfg, l)) {
                assertTrue(up.await(20, TimeUnit.SECONDS));
                pub.sampleStarted("O1", 0);
                for (int i = 0; i < fields; i++) {
                    if (i == 300) {
                        sub.await(rs -> rs.size() >= 200, Duration.ofSeconds(30), "traffic before the outage");
                        broker.stop();
                    }
                    if (i == 1000) {
                        assertTrue(failedWhileDown.await(30, TimeUnit.SECONDS), "publisher kept retrying");
                        broker.start();
                    }
                    pub.fieldAnalysed(Fixtures.field("O1", i), Fixtures.differential("O1", i + 1));
                }
                pub.sampleFinished(Fixtures.differential("O1", fields), "field limit");
                long sent = pub.lastSequence();
                assertEquals(2L * fields + 2, sent);
                List<TestSubscriber.Received> got;
                try {
                    got = sub.await(rs -> Delivery.of(rs, "dev-o").complete(sent), Duration.ofSeconds(90),
                            "all " + sent + " messages after the outage");
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; " + EmbeddedBrokerPublisherTest.state(pub)
                            + "; mosquitto log:\n" + broker.log(), e);
                }
                Delivery d = Delivery.of(got, "dev-o");
                System.out.printf("outage run: sent=%d received=%d unique=%d lost=%d duplicates seen and removed=%d%n",
                        sent, got.stream().filter(r -> !r.topic().endsWith("/status")).count(), d.unique().size(),
                        d.missing(sent), d.duplicates());
                assertEquals(0, d.missing(sent));
                assertEquals(sent, d.unique().size());
                assertTrue(d.inOrder(), "per-device order after de-duplication");
                assertEquals(0, d.idConflicts());
                assertEquals(0, EmbeddedBrokerPublisherTest.awaitDrained(pub), "outbox drained");
            }
        }
    }

    @Test
    void tornAndCorruptRecordsAreSkippedAndTheRestDelivered() throws Exception {
        int port = Mosquitto.freePort(); // nothing listens yet: everything stays in the outbox
        Path outbox = tmp.resolve("outbox");
        MqttConfig cfg = Fixtures.config("tcp://127.0.0.1:" + port, "dev-t", outbox);
        try (MqttPublisher pub = publisher(cfg, ConnectionListener.NONE)) {
            pub.sampleStarted("T1", 0);
            for (int i = 0; i < 20; i++) {
                pub.fieldAnalysed(Fixtures.field("T1", i), Fixtures.differential("T1", i + 1));
            }
            assertFalse(pub.connected());
        }
        long last = 41;
        Path seg;
        try (Stream<Path> s = Files.list(outbox)) {
            seg = s.filter(p -> p.getFileName().toString().startsWith("seg-")).findFirst().orElseThrow();
        }
        // flip a byte inside the 6th record's body, and tear the last record as a power cut would
        byte[] data = Files.readAllBytes(seg);
        ByteBuffer b = ByteBuffer.wrap(data);
        int off = 0;
        for (int k = 0; k < 5; k++) {
            off += 12 + b.getInt(off + 4);
        }
        long victim = b.getLong(off + 12 + 1);
        data[off + 12 + b.getInt(off + 4) / 2] ^= 0x01;
        Files.write(seg, data);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.setLength(f.length() - 10);
        }
        Path bdir = Files.createDirectories(tmp.resolve("broker"));
        try (Mosquitto broker = Mosquitto.start(bdir, "", port);
             TestSubscriber sub = new TestSubscriber(broker.uri(), "hematovision/#", false);
             MqttPublisher pub = publisher(cfg, ConnectionListener.NONE)) {
            Set<Long> expected = new HashSet<>();
            for (long s = 1; s <= last; s++) {
                expected.add(s);
            }
            expected.remove(victim);
            expected.remove(last);
            List<TestSubscriber.Received> got = sub.await(rs -> Delivery.of(rs, "dev-t").unique().keySet().containsAll(expected),
                    Duration.ofSeconds(30), "the intact records");
            assertEquals(0, EmbeddedBrokerPublisherTest.awaitDrained(pub));
            assertEquals(expected, Delivery.of(sub.snapshot(), "dev-t").unique().keySet(),
                    "all but the corrupt #" + victim + " and the torn #" + last);
            assertFalse(got.isEmpty());
        }
    }
}
