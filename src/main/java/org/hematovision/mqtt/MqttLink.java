package org.hematovision.mqtt;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.hematovision.mqtt.outbox.Outbox;
import org.hematovision.mqtt.outbox.OutboxMessage;
import org.tinylog.Logger;

/**
 * The connection to the broker and the delivery of the outbox, on one background thread.
 *
 * <p>States: DISCONNECTED → (connect) → CONNECTED → (connection lost) → DISCONNECTED …; CLOSED after
 * {@link #close()}. While DISCONNECTED the thread retries with exponential backoff and jitter
 * ({@link Backoff}), so a fleet that lost the same broker does not reconnect in lock step. On every connect it publishes
 * the retained birth status, subscribes to the command topic (when commands are handled) and replays
 * the outbox from its oldest pending message, in order, with QoS 1 and at most {@link #WINDOW}
 * messages in flight. A message leaves the outbox only when Paho reports its PUBACK.
 *
 * <p>Clean session on purpose: the outbox already keeps every unacknowledged message on disk and
 * replays it, so a broker-side session would only add a second copy whose life we do not control
 * (and Paho's own persistence is kept in memory). The cost is that a message in flight when the
 * link dropped is sent again after reconnect: subscribers drop it by message id.
 */
final class MqttLink implements AutoCloseable {

    /** Messages published and not yet acknowledged, per connection. */
    static final int WINDOW = 64;
    /**
     * Paho's in-flight slots beyond the outbox window: retained status messages and the goodbye count
     * against Paho's limit too, and must not find it full while a long backlog is replayed.
     */
    static final int STATUS_SLOTS = 4;
    static final int CONNECT_TIMEOUT_SECONDS = 10;
    private static final long CLOSE_TIMEOUT_MS = 3000;
    /** A connection that lasts this long resets the reconnect backoff; a shorter one does not. */
    static final long STABLE_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final MqttConfig config;
    private final Outbox outbox;
    private final Supplier<byte[]> birth;
    private final Supplier<byte[]> will;
    private final Supplier<byte[]> goodbye;
    private final CommandHandler commands;
    private final ConnectionListener events;
    private final Semaphore wake = new Semaphore(0);
    private final CountDownLatch closing = new CountDownLatch(1);
    private final ConcurrentLinkedQueue<Long> acked = new ConcurrentLinkedQueue<>();
    /** A status whose publish failed, to be retried by the link thread (null when none). */
    private final java.util.concurrent.atomic.AtomicReference<byte[]> statusRetry =
            new java.util.concurrent.atomic.AtomicReference<>();
    /** One error line per run of failed acknowledgement writes (link thread only). */
    private boolean ackFailureLogged;
    private final Thread thread;
    private final javax.net.ssl.SSLSocketFactory tls;
    private volatile MqttAsyncClient client;
    private volatile boolean lost;
    private volatile String lastError = "";
    private Set<Long> inflight = ConcurrentHashMap.newKeySet();
    private long cursor;

    MqttLink(MqttConfig config, Outbox outbox, Supplier<byte[]> birth, Supplier<byte[]> will, Supplier<byte[]> goodbye,
             CommandHandler commands, ConnectionListener events) {
        this.config = config;
        this.outbox = outbox;
        this.birth = birth;
        this.will = will;
        this.goodbye = goodbye;
        this.commands = commands;
        this.events = events;
        // built once here, so a missing or unreadable certificate fails at start-up, not in the retry loop
        this.tls = config.serverUri().startsWith("ssl://") ? TlsSupport.socketFactory(config) : null;
        this.thread = new Thread(this::run, "mqtt-link-" + config.deviceId());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** A message was appended to the outbox. */
    void wake() {
        wake.release();
    }

    boolean connected() {
        MqttAsyncClient c = client;
        return c != null && c.isConnected() && !lost;
    }

    /** The latest connection failure, worded for the operator ("" when none). */
    String lastError() {
        return lastError;
    }

    /**
     * Publishes the retained status now if connected; when not, the next birth message carries it.
     * Never throws.
     */
    void publishStatus(byte[] payload) {
        MqttAsyncClient c = client;
        if (c == null || !connected()) {
            return;
        }
        try {
            c.publish(config.topic("status"), payload, 1, true);
            statusRetry.compareAndSet(payload, null);
        } catch (MqttException | RuntimeException e) {
            // retried by the link thread (retryStatus) while connected; the next birth message carries it too
            statusRetry.set(payload);
            wake.release();
            Logger.debug("status not published now ({}); retried", e.getMessage());
        }
    }

    /** Publishes a status that failed to go out (Paho's in-flight slots were full), unless a newer one went. */
    private void retryStatus() {
        byte[] payload = statusRetry.getAndSet(null);
        if (payload != null) {
            publishStatus(payload);
        }
    }

    private void run() {
        Backoff backoff = Backoff.withJitter(config.backoffMin(), config.backoffMax());
        long upSince = 0;
        boolean up = false;
        try {
            while (closing.getCount() > 0) {
                if (!connected()) {
                    dropClient();
                    if (up && System.nanoTime() - upSince < STABLE_NANOS) {
                        // dropped soon after connecting (another client with this id, a broker refusing
                        // what it is sent): wait as after a failed connect, not reconnect at once
                        if (closing.await(backoff.next(), TimeUnit.MILLISECONDS)) {
                            break;
                        }
                    }
                    up = false;
                    if (!connect()) {
                        if (closing.await(backoff.next(), TimeUnit.MILLISECONDS)) {
                            break;
                        }
                        continue;
                    }
                    up = true;
                    upSince = System.nanoTime();
                }
                if (up && System.nanoTime() - upSince >= STABLE_NANOS) {
                    backoff.reset(); // a connection that lasted: the next loss starts from the shortest wait
                }
                persistAcks();
                retryStatus();
                sendMore();
                wake.tryAcquire(1, TimeUnit.SECONDS);
                wake.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            Logger.error(e, "MQTT link stopped by an unexpected error; messages stay in the outbox");
        } finally {
            shutdown();
        }
    }

    private boolean connect() {
        String uri = config.serverUri();
        MqttAsyncClient c = null;
        try {
            c = new MqttAsyncClient(uri, config.deviceId(), new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(true);
            o.setAutomaticReconnect(false); // our loop: backoff with jitter, birth and replay on each connect
            o.setKeepAliveInterval((int) config.keepAlive().toSeconds());
            o.setConnectionTimeout(CONNECT_TIMEOUT_SECONDS);
            o.setMaxInflight(WINDOW + STATUS_SLOTS);
            o.setWill(config.topic("status"), will.get(), 1, true);
            config.username().ifPresent(o::setUserName);
            config.password().ifPresent(p -> o.setPassword(p.toCharArray()));
            if (tls != null) {
                o.setSocketFactory(tls);
                o.setHttpsHostnameVerificationEnabled(true);
            }
            lost = false;
            MqttAsyncClient self = c;
            c.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                    if (client == self) {
                        lost = true;
                        String why = describe(cause);
                        Logger.warn("MQTT connection to {} lost: {}; {} message(s) wait in the outbox", uri, why,
                                outbox.pendingCount());
                        events.connectionLost(why);
                        wake.release();
                    }
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    if (commands != null) {
                        commands.handle(message.getPayload(), message.isRetained());
                    }
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                    // acknowledgements are taken from each publish's own listener
                }
            });
            c.connect(o).waitForCompletion((CONNECT_TIMEOUT_SECONDS + 2) * 1000L);
            client = c;
            statusRetry.set(null); // the birth message carries the latest status
            c.publish(config.topic("status"), birth.get(), 1, true);
            if (commands != null) {
                c.subscribe(config.topic("command"), 1).waitForCompletion(CONNECT_TIMEOUT_SECONDS * 1000L);
            }
            inflight = ConcurrentHashMap.newKeySet();
            persistAcks(); // late acknowledgements of the previous connection still count
            cursor = 0; // replay everything not acknowledged, oldest first
            lastError = "";
            Logger.info("MQTT connected to {} as {}; {} message(s) to deliver from the outbox", uri, config.deviceId(),
                    outbox.pendingCount());
            events.connected(uri);
            return true;
        } catch (MqttException | RuntimeException e) {
            String why = describe(e);
            if (!why.equals(lastError)) {
                Logger.warn("MQTT: cannot connect to {}: {}; retrying with backoff, {} message(s) kept in the outbox",
                        uri, why, outbox.pendingCount());
            } else {
                Logger.debug("MQTT: still cannot connect to {}: {}", uri, why);
            }
            lastError = why;
            events.connectFailed(why);
            if (c != null) {
                closeQuietly(c);
            }
            client = null;
            return false;
        }
    }

    private void sendMore() {
        MqttAsyncClient c = client;
        int room = WINDOW - inflight.size();
        if (c == null || room <= 0) {
            return;
        }
        Set<Long> mine = inflight;
        for (OutboxMessage m : outbox.pending(cursor, room)) {
            try {
                long seq = m.seq();
                mine.add(seq);
                c.publish(m.topic(), m.payload(), m.qos(), m.retained(), null, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        acked.add(seq);
                        mine.remove(seq);
                        wake.release();
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable e) {
                        mine.remove(seq);
                        // not acknowledged: reconnect and replay from the oldest pending message. A
                        // late failure of an earlier connection's publish must not mark this one lost.
                        if (client == c) {
                            lost = true;
                        }
                        wake.release();
                    }
                });
                cursor = seq;
            } catch (MqttException | RuntimeException e) {
                mine.remove(m.seq());
                Logger.debug("publish of seq {} deferred: {}", m.seq(), e.getMessage());
                lost = lost || !c.isConnected();
                return;
            }
        }
    }

    private void persistAcks() {
        if (acked.isEmpty()) {
            return;
        }
        List<Long> batch = new ArrayList<>();
        for (Long s; (s = acked.poll()) != null; ) {
            batch.add(s);
        }
        try {
            outbox.acknowledge(batch);
            ackFailureLogged = false;
        } catch (IOException e) {
            // Back on the queue for the next turn: this connection will not send them again (its cursor is
            // past them), so dropping the batch would keep them pending, counted against the outbox's size,
            // until a reconnect or restart sends them all again.
            acked.addAll(batch);
            if (!ackFailureLogged) {
                ackFailureLogged = true;
                Logger.error("outbox: cannot record {} acknowledgement(s): {}; retried, and sent again after a "
                        + "restart if never recorded", batch.size(), e.getMessage());
            }
        }
    }

    private void shutdown() {
        MqttAsyncClient c = client;
        if (c != null && connected()) {
            try {
                // a clean disconnect suppresses the Will, so say "offline" ourselves
                try {
                    c.publish(config.topic("status"), goodbye.get(), 1, true).waitForCompletion(CLOSE_TIMEOUT_MS);
                } catch (MqttException | RuntimeException e) {
                    // no goodbye: leave without DISCONNECT, so the broker publishes the Will ("offline")
                    Logger.debug("MQTT goodbye not delivered ({}); closing so that the broker sends the Will",
                            e.getMessage());
                    c.disconnectForcibly(0, 100, false);
                    persistAcks();
                    dropClient();
                    return;
                }
                // let PUBACKs of messages in flight arrive, so they are not sent again next time
                long end = System.currentTimeMillis() + CLOSE_TIMEOUT_MS;
                while (!inflight.isEmpty() && System.currentTimeMillis() < end) {
                    wake.tryAcquire(50, TimeUnit.MILLISECONDS);
                }
                c.disconnect(CLOSE_TIMEOUT_MS).waitForCompletion(CLOSE_TIMEOUT_MS);
            } catch (MqttException | RuntimeException e) {
                Logger.debug("MQTT disconnect: {}", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        persistAcks();
        dropClient();
    }

    private void dropClient() {
        MqttAsyncClient c = client;
        client = null;
        if (c != null) {
            closeQuietly(c);
        }
    }

    private static void closeQuietly(MqttAsyncClient c) {
        try {
            if (c.isConnected()) {
                c.disconnectForcibly(100, 500);
            }
        } catch (MqttException | RuntimeException ignored) {
            // already gone
        }
        try {
            c.close(true);
        } catch (MqttException | RuntimeException ignored) {
            // nothing more to release
        }
    }

    /** Operator-facing reason for a connection failure. */
    String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLHandshakeException || t instanceof javax.net.ssl.SSLException) {
                String m = String.valueOf(t.getMessage());
                if (m.contains("PKIX") || m.contains("unable to find valid certification path")
                        || m.contains("certificate_unknown") && t.getCause() == null) {
                    return "TLS: the broker's certificate is not trusted by mqtt.tls.ca="
                            + config.caFile().map(Object::toString).orElse("(JDK default CAs)")
                            + " (wrong CA file, or the broker uses another certificate)";
                }
                if (m.contains("subject alternative") || m.contains("No name matching")) {
                    return "TLS: the broker's certificate does not name host " + hostOf() + " (" + m + ")";
                }
                if (m.contains("certificate_required") && config.clientCert().isEmpty()) {
                    return "TLS: the broker requires a client certificate (set mqtt.tls.cert and mqtt.tls.key)";
                }
                if (m.contains("bad_certificate") || m.contains("certificate_required")) {
                    return "TLS: the broker refused our client certificate (mqtt.tls.cert): " + m;
                }
                return "TLS handshake with " + config.serverUri() + " failed: " + m;
            }
            if (t instanceof ConnectException) {
                return "nothing accepts connections at " + config.serverUri() + " (broker down, or wrong mqtt.broker)";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + hostOf() + " (check mqtt.broker and DNS)";
            }
            if (t instanceof MqttException me) {
                switch (me.getReasonCode()) {
                    case MqttException.REASON_CODE_FAILED_AUTHENTICATION:
                    case MqttException.REASON_CODE_NOT_AUTHORIZED:
                        return "the broker refused the credentials of mqtt.username=" + config.username().orElse("(none)");
                    case MqttException.REASON_CODE_CLIENT_TIMEOUT:
                        return "no answer from " + config.serverUri() + " within " + CONNECT_TIMEOUT_SECONDS + " s";
                    case MqttException.REASON_CODE_INVALID_CLIENT_ID:
                        return "the broker refused client id " + config.deviceId();
                    default:
                        if (t.getCause() == null) {
                            return me.getMessage() + " (MQTT reason " + me.getReasonCode() + ")";
                        }
                }
            }
        }
        return String.valueOf(e.getMessage());
    }

    private String hostOf() {
        return java.net.URI.create(config.serverUri()).getHost();
    }

    /** Stops the link: "offline" status and clean disconnect when connected; what is pending stays in the outbox. */
    @Override
    public void close() {
        closing.countDown();
        wake.release();
        try {
            thread.join(CLOSE_TIMEOUT_MS * 3 + CONNECT_TIMEOUT_SECONDS * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
