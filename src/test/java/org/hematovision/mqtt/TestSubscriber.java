package org.hematovision.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A real Paho subscriber that records everything it receives and lets a test wait for a condition. */
final class TestSubscriber implements AutoCloseable {

    record Received(String topic, JsonNode json, boolean retained) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MqttClient client;
    private final String filter;
    private final boolean persistent;
    private final MqttConnectOptions options = new MqttConnectOptions();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Received> received = new ArrayList<>();
    /** What happened to the connection, for the message of a failed wait. */
    private final List<String> events = new ArrayList<>();
    private volatile boolean closed;
    private Thread reconnector;

    /**
     * @param persistent keep a broker-side session (clean session off) and reconnect by itself, so
     *                   nothing published while it is away from a restarting broker is missed
     */
    TestSubscriber(String uri, String filter, boolean persistent) throws MqttException {
        client = new MqttClient(uri, "test-sub-" + System.nanoTime(), new MemoryPersistence());
        this.filter = filter;
        this.persistent = persistent;
        options.setCleanSession(!persistent);
        // reconnection is done here rather than by Paho, so that each attempt is visible in a failure message
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(5);
        options.setMaxInflight(1000);
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void connectionLost(Throwable cause) {
                event("connection lost: " + cause);
                if (TestSubscriber.this.persistent && !closed) {
                    startReconnecting();
                }
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                JsonNode json;
                try {
                    json = JSON.readTree(message.getPayload());
                } catch (IOException e) {
                    // throwing here would make Paho drop the connection; record it and let the test fail on it
                    event("unparsable payload on " + topic + ": " + e.getMessage());
                    return;
                }
                Received r = new Received(topic, json, message.isRetained());
                lock.lock();
                try {
                    received.add(r);
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        client.connect(options);
        client.subscribe(filter, 1);
        event("connected and subscribed to " + filter);
    }

    private void event(String what) {
        lock.lock();
        try {
            events.add(java.time.LocalTime.now() + " " + what + " (" + received.size() + " received)");
        } finally {
            lock.unlock();
        }
    }

    private synchronized void startReconnecting() {
        if (reconnector != null && reconnector.isAlive()) {
            return;
        }
        reconnector = new Thread(() -> {
            int attempts = 0;
            while (!closed && !client.isConnected()) {
                attempts++;
                try {
                    client.connect(options);
                    // the broker kept the session; subscribing again is harmless and covers a lost session
                    client.subscribe(filter, 1);
                    event("reconnected after " + attempts + " attempt(s)");
                    return;
                } catch (MqttException e) {
                    if (attempts == 1 || attempts % 50 == 0) {
                        event("reconnect attempt " + attempts + " failed: " + e);
                    }
                    try {
                        Thread.sleep(200); // retry period while the test's broker restarts
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }, "test-sub-reconnect");
        reconnector.setDaemon(true);
        reconnector.start();
    }

    List<Received> snapshot() {
        lock.lock();
        try {
            return List.copyOf(received);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until {@code condition} holds for what was received; fails after {@code timeout}. */
    List<Received> await(Predicate<List<Received>> condition, Duration timeout, String what) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!condition.test(received)) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; received "
                            + received.size() + " message(s); subscriber " + (client.isConnected() ? "connected" : "not connected")
                            + "; its connection: " + events);
                }
                changed.await(left, TimeUnit.NANOSECONDS);
            }
            return List.copyOf(received);
        } finally {
            lock.unlock();
        }
    }

    static long count(List<Received> rs, String leaf) {
        return rs.stream().filter(r -> r.topic().endsWith("/" + leaf)).count();
    }

    @Override
    public void close() throws MqttException {
        closed = true;
        Thread r;
        synchronized (this) {
            r = reconnector;
        }
        if (r != null) {
            r.interrupt();
            try {
                r.join(6000); // at most one connect attempt (5 s timeout) is under way
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            if (client.isConnected()) {
                client.disconnect(1000);
            }
        } finally {
            client.close(true);
        }
    }
}
