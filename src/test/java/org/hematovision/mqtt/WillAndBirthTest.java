package org.hematovision.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hematovision.mqtt.outbox.FileOutbox;
import org.hematovision.sample.DeviceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The link is cut abruptly: the broker publishes the retained Will, the device reconnects with a new birth. */
@Timeout(90)
class WillAndBirthTest {

    @TempDir
    Path tmp;

    private void cutAndReconnect(String brokerUri, int brokerPort) throws Exception {
        try (CuttingProxy proxy = new CuttingProxy(brokerPort);
             TestSubscriber sub = new TestSubscriber(brokerUri, "hematovision/dev-w/status", false)) {
            MqttConfig cfg = Fixtures.config(proxy.uri(), "dev-w", tmp.resolve("outbox"));
            CountDownLatch twice = new CountDownLatch(2);
            CountDownLatch lost = new CountDownLatch(1);
            ConnectionListener l = new ConnectionListener() {
                @Override
                public void connected(String uri) {
                    twice.countDown();
                }

                @Override
                public void connectionLost(String message) {
                    lost.countDown();
                }
            };
            try (MqttPublisher pub = new MqttPublisher(cfg, Fixtures.INFO, FileOutbox.open(cfg.outboxDir(),
                    cfg.outboxMaxBytes()), null, l).start()) {
                sub.await(rs -> rs.stream().anyMatch(r -> r.json().get("status").asText().equals("online")),
                        Duration.ofSeconds(20), "birth");
                pub.status(new DeviceStatus(DeviceStatus.State.OUT_OF_FOCUS, "adjust focus"));
                sub.await(rs -> rs.stream().anyMatch(r -> r.json().get("state").asText().equals("OUT_OF_FOCUS")),
                        Duration.ofSeconds(20), "state change");
                proxy.cut();
                assertTrue(lost.await(20, TimeUnit.SECONDS), "the device noticed");
                List<TestSubscriber.Received> rs = sub.await(x -> x.stream().anyMatch(r -> r.json().get("status").asText()
                        .equals("offline")), Duration.ofSeconds(30), "the Will");
                TestSubscriber.Received will = rs.stream().filter(r -> r.json().get("status").asText().equals("offline"))
                        .findFirst().orElseThrow();
                // the Will is fixed when the connection is made (READY then), not at the later state change
                assertEquals("READY", will.json().get("state").asText(), "the Will carries the state at connect");
                assertEquals(List.of(), SchemaCheck.violations(SchemaCheck.schema("status"), will.json()));
                assertTrue(twice.await(30, TimeUnit.SECONDS), "reconnected through the proxy");
                sub.await(x -> x.get(x.size() - 1).json().get("status").asText().equals("online"),
                        Duration.ofSeconds(20), "a new birth after the Will");
            }
        }
    }

    @Test
    void throughTheEmbeddedBroker() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(Mosquitto.freePort())) {
            cutAndReconnect(broker.uri(), broker.port());
        }
    }

    @Test
    void throughMosquitto() throws Exception {
        try (Mosquitto broker = Mosquitto.start(tmp, "")) {
            cutAndReconnect(broker.uri(), broker.port());
        }
    }
}
