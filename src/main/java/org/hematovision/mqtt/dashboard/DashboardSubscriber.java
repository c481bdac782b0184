package org.hematovision.mqtt.dashboard;

import java.util.UUID;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.hematovision.mqtt.MqttConfig;
import org.hematovision.mqtt.MqttTls;
import org.tinylog.Logger;

/**
 * Subscribes to {@code <prefix>/+/+} and feeds {@link DashboardState}. Reconnects by itself and
 * subscribes again after every reconnect.
 */
public final class DashboardSubscriber implements AutoCloseable {

    private final MqttClient client;
    private final String filter;

    /**
     * Connects now.
     *
     * @param config  broker, credentials and TLS files (the device id is ignored: a random client id is used)
     * @param onEvent called with each state change worth a redraw
     * @throws MqttException the first connection failed (the message says why)
     */
    public DashboardSubscriber(MqttConfig config, DashboardState state, Consumer<String> onEvent) throws MqttException {
        this.filter = config.topicPrefix() + "/+/+";
        client = new MqttClient(config.serverUri(), "hv-dashboard-" + UUID.randomUUID().toString().substring(0, 8),
                new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay(10_000);
        o.setKeepAliveInterval((int) config.keepAlive().toSeconds());
        config.username().ifPresent(o::setUserName);
        config.password().ifPresent(p -> o.setPassword(p.toCharArray()));
        if (config.serverUri().startsWith("ssl://")) {
            o.setSocketFactory(MqttTls.socketFactory(config));
        }
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
                if (reconnect) {
                    try {
                        client.subscribe(filter, 1);
                    } catch (MqttException e) {
                        Logger.warn("dashboard: subscribe after reconnect failed: {}", e.getMessage());
                    }
                }
                onEvent.accept("connected to " + serverUri);
            }

            @Override
            public void connectionLost(Throwable cause) {
                onEvent.accept("connection lost: " + cause.getMessage() + " (reconnecting)");
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                if (!topic.endsWith("/command") && state.accept(topic, message.getPayload())) {
                    onEvent.accept(topic);
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        client.connect(o);
        client.subscribe(filter, 1);
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(1000);
            }
            client.close(true);
        } catch (MqttException e) {
            Logger.debug("dashboard disconnect: {}", e.getMessage());
        }
    }
}
