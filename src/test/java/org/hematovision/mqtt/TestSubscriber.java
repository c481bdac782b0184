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
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Received> received = new ArrayList<>();

    /**
     * @param persistent keep a broker-side session (clean session off) and reconnect by itself, so
     *                   nothing published while it is away from a restarting broker is missed
     */
    TestSubscriber(String uri, String filter, boolean persistent) throws MqttException {
        client = new MqttClient(uri, "test-sub-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(!persistent);
        o.setAutomaticReconnect(persistent);
        o.setMaxReconnectDelay(500);
        o.setMaxInflight(1000);
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) throws IOException {
                Received r = new Received(topic, JSON.readTree(message.getPayload()), message.isRetained());
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
        client.connect(o);
        client.subscribe(filter, 1);
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
                            + received.size() + " message(s)");
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
        try {
            if (client.isConnected()) {
                client.disconnect(1000);
            }
        } finally {
            client.close(true);
        }
    }
}
