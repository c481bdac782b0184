package org.hematovision.mqtt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

/**
 * The README tells users to watch the appliance with {@code mosquitto_sub -h 127.0.0.1 -t '#' -v},
 * which connects with an empty client id; and a restarted service must bind its port again at once.
 */
class EmbeddedBrokerClientIdTest {

    @Test
    void acceptsAnEmptyClientIdAndRebindsRightAfterAStop() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (EmbeddedBroker broker = EmbeddedBroker.start(port)) {
            MqttClient client = new MqttClient(broker.uri(), "", new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(true);
            client.connect(o);
            assertTrue(client.isConnected());
            client.disconnect();
            client.close();
        }
        // The stopped broker's connections may linger in TIME_WAIT: starting again must still work.
        try (EmbeddedBroker again = EmbeddedBroker.start(port)) {
            assertTrue(again.port() == port);
        }
    }
}
