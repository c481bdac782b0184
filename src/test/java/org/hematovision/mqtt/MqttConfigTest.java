package org.hematovision.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.hematovision.config.ConfigException;
import org.junit.jupiter.api.Test;

class MqttConfigTest {

    private static ConfigException bad(Map<String, String> p) {
        return assertThrows(ConfigException.class, () -> MqttConfig.fromProperties(p));
    }

    private static Map<String, String> with(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void defaultsAreTheEmbeddedBroker() {
        MqttConfig c = MqttConfig.fromProperties(Map.of("other.key", "ignored"));
        assertTrue(c.embedded());
        assertEquals("tcp://127.0.0.1:1883", c.serverUri());
        assertEquals("hematovision/hv-edge-1/field", c.topic("field"));
        assertEquals(MqttConfig.DEFAULT_OUTBOX_MAX_BYTES, c.outboxMaxBytes());
    }

    @Test
    void badValuesNameTheKeyAndWhatIsAllowed() {
        assertEquals("mqtt.broker", bad(with("mqtt.broker", "http://x:1")).key());
        assertTrue(bad(with("mqtt.broker", "tcp://host")).getMessage().contains("allowed: embedded, tcp://host:port"));
        assertEquals("mqtt.deviceId", bad(with("mqtt.deviceId", "a/#")).key());
        assertEquals("mqtt.topicPrefix", bad(with("mqtt.topicPrefix", "x/+")).key());
        assertEquals("mqtt.port", bad(with("mqtt.port", "70000")).key());
        // names mqtt.broker, not a URI parser's message or "-1 is out of range"
        assertTrue(bad(with("mqtt.broker", "tcp://mqtt_broker:1883")).getMessage().contains("not '_'"));
        assertEquals("mqtt.broker", bad(with("mqtt.broker", "tcp://a[b:1883")).key());
        assertEquals("mqtt.broker", bad(with("mqtt.broker", "tcp://host:70000")).key());
        assertEquals("mqtt.port", bad(with("mqtt.port", "4294969179")).key()); // 2^32 + 1883: not cut to 1883
        assertTrue(bad(with("mqtt.port", "x")).getMessage().contains("not a whole number"));
        assertEquals("mqtt.outbox.maxBytes", bad(with("mqtt.outbox.maxBytes", "100")).key());
        assertEquals("mqtt.outbox.maxBytes", bad(with("mqtt.outbox.maxBytes", "200000000")).key()); // the heap holds it too
        assertEquals("mqtt.backoff.maxMillis", bad(with("mqtt.backoff.minMillis", "1000", "mqtt.backoff.maxMillis", "10")).key());
        assertEquals("mqtt.tls.ca", bad(with("mqtt.broker", "tcp://h:1883", "mqtt.tls.ca", "/ca.pem")).key());
        assertEquals("mqtt.tls.cert", bad(with("mqtt.broker", "ssl://h:8883", "mqtt.tls.cert", "/c.pem")).key());
        assertEquals("mqtt.password", bad(with("mqtt.password", "s3cret")).key());
        ConfigException unknown = bad(with("mqtt.brokr", "embedded"));
        assertEquals("mqtt.brokr", unknown.key());
        assertTrue(unknown.getMessage().contains("mqtt.broker"));
    }

    @Test
    void thePasswordIsNeverInTheTextOfTheConfig() {
        MqttConfig c = MqttConfig.fromProperties(with("mqtt.broker", "ssl://h:8883", "mqtt.username", "clinic7",
                "mqtt.password", "s3cret-pw", "mqtt.tls.cert", "/etc/hv/client.p12", "mqtt.tls.keyPassword", "p12-pw"));
        assertFalse(c.toString().contains("s3cret-pw"), c.toString());
        assertFalse(c.toString().contains("p12-pw"), c.toString());
        assertTrue(c.toString().contains("clinic7"));
    }
}
