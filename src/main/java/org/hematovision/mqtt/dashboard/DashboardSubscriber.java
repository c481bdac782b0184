package org.hematovision.mqtt.dashboard;

import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>Reconnection is its own loop rather than Paho's automatic reconnect: in Paho 1.2.5 a reconnect
 * attempt whose {@code connect} throws at once ends the automatic cycle without a word, which would
 * leave a dashboard silently deaf after a broker restart.
 */
public final class DashboardSubscriber implements AutoCloseable {

    static final long FIRST_RETRY_MS = 500;
    static final long MAX_RETRY_MS = 10_000;

    private final MqttClient client;
    private final String filter;
    private final MqttConnectOptions options = new MqttConnectOptions();
    private final Consumer<String> onEvent;
    private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dashboard-reconnect");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;
    private long retryMs = FIRST_RETRY_MS; // touched only on the retry thread

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
        this.onEvent = onEvent;
        MqttConnectOptions o = options;
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(10);
        o.setKeepAliveInterval((int) config.keepAlive().toSeconds());
        config.username().ifPresent(o::setUserName);
        config.password().ifPresent(p -> o.setPassword(p.toCharArray()));
        if (config.serverUri().startsWith("ssl://")) {
            o.setSocketFactory(MqttTls.socketFactory(config));
        }
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
                onEvent.accept("connected to " + serverUri);
            }

            @Override
            public void connectionLost(Throwable cause) {
                onEvent.accept("connection lost: " + cause.getMessage() + " (reconnecting)");
                if (!closed) {
                    retry.schedule(DashboardSubscriber.this::reconnect, FIRST_RETRY_MS, TimeUnit.MILLISECONDS);
                }
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                // Paho drops the connection when this throws, and with a clean session the messages of
                // every device published until the reconnect are lost: never let one message do that.
                try {
                    if (!topic.endsWith("/command") && state.accept(topic, message.getPayload())) {
                        onEvent.accept(topic);
                    }
                } catch (RuntimeException e) {
                    Logger.warn(e, "dashboard: a message on {} could not be shown", topic);
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        client.connect(o);
        client.subscribe(filter, 1);
    }

    /** One attempt on the retry thread; the next is scheduled with a doubled delay until it succeeds. */
    private void reconnect() {
        if (closed || client.isConnected()) {
            return;
        }
        try {
            client.connect(options);
            // clean session: the broker forgot the subscription, and subscribing again brings the retained statuses
            client.subscribe(filter, 1);
            retryMs = FIRST_RETRY_MS;
            onEvent.accept("subscribed again to " + filter);
        } catch (MqttException e) {
            Logger.debug("dashboard: reconnect to {} failed: {}", client.getServerURI(), e.getMessage());
            if (client.isConnected()) {
                try {
                    client.disconnect(1000); // connected but not subscribed: start over
                } catch (MqttException ignored) {
                    // the next attempt reconnects anyway
                }
            }
            if (!closed) {
                retry.schedule(this::reconnect, retryMs, TimeUnit.MILLISECONDS);
                retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
            }
        }
    }

    /** Whether the subscriber is connected to the broker now. */
    public boolean connected() {
        return client.isConnected();
    }

    @Override
    public void close() {
        closed = true;
        retry.shutdownNow();
        try {
            retry.awaitTermination(6, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
