package org.hematovision.mqtt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;
import org.hematovision.mqtt.outbox.FileOutbox;
import org.hematovision.mqtt.outbox.Outbox;
import org.hematovision.mqtt.outbox.OutboxMessage;
import org.hematovision.sample.Alert;
import org.hematovision.sample.DeviceStatus;
import org.hematovision.sample.DifferentialSnapshot;
import org.hematovision.sample.FieldReport;
import org.hematovision.sample.SampleControl;
import org.hematovision.sample.SampleListener;
import org.hematovision.sample.StorageStatus;
import org.tinylog.Logger;

/**
 * The MQTT sink: turns what the sample learns into messages under {@code <prefix>/<deviceId>/} (see
 * {@code docs/mqtt.md}). Each message is appended to the durable {@link Outbox} on the caller's
 * thread (an fsync, no network) and delivered by a background {@link MqttLink}; so the pipeline is
 * never held up by the broker and nothing is lost while it is away. Never throws for broker or disk
 * trouble: it logs when a failure starts and when it ends.
 *
 * <p>The retained {@code status} is state, not history: it is published directly when connected
 * (birth on every connect, Will {@code offline}), not queued, so a reconnect never replays a stale
 * state over the current one.
 */
public final class MqttPublisher implements SampleListener, AutoCloseable {

    /** Longest wait for pending messages on a clean stop. */
    static final java.time.Duration DRAIN_ON_CLOSE = java.time.Duration.ofSeconds(3);

    private final MqttConfig config;
    private final DeviceInfo info;
    private final Outbox outbox;
    private final MqttLink link;
    private final AutoCloseable owned;
    private volatile DeviceStatus state = new DeviceStatus(DeviceStatus.State.READY, "");
    private volatile StorageStatus storage = StorageStatus.OK;
    private boolean failing;
    /** Drops not yet reported by a {@code dropped} message. */
    private Outbox.DropCount undeclared = Outbox.DropCount.NONE;
    private boolean closed;

    /**
     * Wires a publisher over an open outbox; {@link #start()} begins delivery.
     *
     * @param config   validated MQTT section
     * @param info     versions and config digest for the birth message
     * @param outbox   durable outbox (owned: closed by {@link #close()})
     * @param control  target of remote commands; null to not subscribe to the command topic
     * @param listener connection events (may be {@link ConnectionListener#NONE})
     * @throws org.hematovision.config.ConfigException a TLS file is missing or unreadable
     */
    public MqttPublisher(MqttConfig config, DeviceInfo info, Outbox outbox, SampleControl control,
                         ConnectionListener listener) {
        this(config, info, outbox, control, listener, null);
    }

    private MqttPublisher(MqttConfig config, DeviceInfo info, Outbox outbox, SampleControl control,
                          ConnectionListener listener, AutoCloseable owned) {
        this.config = config;
        this.info = info;
        this.outbox = outbox;
        this.owned = owned;
        this.link = new MqttLink(config, outbox, () -> statusPayload(true, state), () -> statusPayload(false, state),
                () -> statusPayload(false, new DeviceStatus(DeviceStatus.State.STOPPED, "service stopped")),
                control == null ? null : new CommandHandler(control), listener);
    }

    /**
     * The service's way in: starts the embedded broker when {@code mqtt.broker=embedded}, opens the
     * outbox in {@code mqtt.outbox.dir} and starts delivery. With a real broker no port is opened.
     *
     * @throws IOException the embedded broker's port is taken, or the outbox directory is unusable
     * @throws org.hematovision.config.ConfigException a TLS file is missing or unreadable
     */
    public static MqttPublisher start(MqttConfig config, DeviceInfo info, SampleControl control) throws IOException {
        EmbeddedBroker broker = config.embedded() ? EmbeddedBroker.start(config.embeddedPort()) : null;
        Outbox outbox = null;
        try {
            outbox = FileOutbox.open(config.outboxDir(), config.outboxMaxBytes());
            return new MqttPublisher(config, info, outbox, control, ConnectionListener.NONE, broker).start();
        } catch (IOException | RuntimeException e) {
            if (outbox != null) {
                outbox.close();
            }
            if (broker != null) {
                broker.close();
            }
            if (e instanceof IOException) {
                throw new IOException("MQTT outbox " + config.outboxDir() + " cannot be opened: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /** Starts the background connection and delivery. */
    public MqttPublisher start() {
        Logger.info("MQTT publisher: {}", config);
        link.start();
        return this;
    }

    @Override
    public void sampleStarted(String sampleId, int targetCells) {
        append("sample", sampleId, false, lifecycleId(sampleId, "started"), n -> {
            n.put("event", "started");
            n.put("targetCells", targetCells);
        });
    }

    @Override
    public void fieldAnalysed(FieldReport report, DifferentialSnapshot differential) {
        append("field", report.sampleId(), true, n -> Payloads.field(n, report));
        append("differential", differential.sampleId(), true, n -> Payloads.differential(n, differential));
    }

    @Override
    public void alert(Alert alert) {
        append("alert", alert.sampleId(), false, n -> Payloads.alert(n, alert));
    }

    @Override
    public void sampleFinished(DifferentialSnapshot differential, String reason) {
        append("sample", differential.sampleId(), false, lifecycleId(differential.sampleId(), "finished"), n -> {
            n.put("event", "finished");
            n.put("reason", reason);
            Payloads.differential(n.putObject("differential"), differential);
        });
    }

    /**
     * Publishes the stored record of a closed sample (intervals, flags, versions; the same JSON as the
     * record store's {@code report.json}) on {@code report}; kept when the outbox is full.
     */
    public void report(String sampleId, com.fasterxml.jackson.databind.JsonNode record) {
        append("report", sampleId, false, lifecycleId(sampleId, "report"), n -> n.set("report", record));
    }

    /**
     * The id of a message that happens once per sample (started, finished, report): a name-based UUID of
     * device, sample and event. After a restart the sample's start and finish are told to the sinks again
     * (resumed, or finished again from its journal); those copies then carry the same id as the first,
     * and subscribers drop them as the duplicates they are.
     */
    String lifecycleId(String sampleId, String event) {
        return UUID.nameUUIDFromBytes((config.deviceId() + "\n" + sampleId + "\n" + event)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    @Override
    public void status(DeviceStatus status) {
        state = status;
        link.publishStatus(statusPayload(true, status));
    }

    /**
     * Storage full or read-only, or writable again: part of the retained status, published straight
     * away like a state change (the outbox is on the same failing disk, so it is not queued there).
     */
    @Override
    public void storage(StorageStatus storage) {
        this.storage = storage;
        link.publishStatus(statusPayload(true, state));
    }

    /** Messages waiting for the broker's acknowledgement. */
    public int pendingCount() {
        return outbox.pendingCount();
    }

    /** Sequence number of the latest message made (0 before the first). */
    public long lastSequence() {
        return outbox.lastSequence();
    }

    public boolean connected() {
        return link.connected();
    }

    /** The latest connection failure worded for the operator, "" when connected. */
    public String lastConnectionError() {
        return link.lastError();
    }

    private void append(String leaf, String sampleId, boolean droppable, Consumer<ObjectNode> body) {
        append(leaf, sampleId, droppable, null, body);
    }

    /** @param messageId the message's id, or null for a new random one */
    private synchronized void append(String leaf, String sampleId, boolean droppable, String messageId,
                                     Consumer<ObjectNode> body) {
        if (closed) {
            Logger.warn("MQTT publisher closed: {} message of sample {} not stored", leaf, sampleId);
            return;
        }
        boolean stored;
        try {
            stored = appendNow(leaf, sampleId, droppable, messageId, body);
            if (failing) {
                failing = false;
                Logger.info("MQTT outbox accepts messages again");
            }
        } catch (IOException | RuntimeException e) {
            if (!failing) {
                failing = true;
                Logger.error("MQTT outbox cannot store a {} message (sample {}): {}; counting goes on, further "
                        + "failures are not logged until it recovers", leaf, sampleId, e.getMessage());
            }
            return;
        }
        collectDrops();
        // one report per run of drops, once something fits again: a report per drop would fill the outbox itself
        if (stored && undeclared.count() > 0) {
            try {
                reportDrops(sampleId);
            } catch (IOException | RuntimeException e) {
                Logger.warn("MQTT outbox: the report of dropped messages could not be stored ({}); tried again with "
                        + "the next message", e.getMessage());
            }
        }
        link.wake();
    }

    private void collectDrops() {
        Outbox.DropCount d = outbox.takeDropped();
        if (d.count() > 0) {
            undeclared = undeclared.count() == 0 ? d : new Outbox.DropCount(undeclared.count() + d.count(),
                    Math.min(undeclared.firstSeq(), d.firstSeq()), Math.max(undeclared.lastSeq(), d.lastSeq()));
        }
    }

    /** Appends a {@code dropped} report; evictions it causes itself are collected for the next one. */
    private void reportDrops(String sampleId) throws IOException {
        Outbox.DropCount d = undeclared;
        Logger.warn("MQTT outbox full: {} per-field message(s) dropped (seq {}..{})", d.count(), d.firstSeq(), d.lastSeq());
        appendNow("dropped", sampleId, false, null, n -> Payloads.dropped(n, d));
        undeclared = Outbox.DropCount.NONE;
        collectDrops();
    }

    private boolean appendNow(String leaf, String sampleId, boolean droppable, String messageId,
                              Consumer<ObjectNode> body) throws IOException {
        long seq = outbox.lastSequence() + 1;
        String id = messageId != null ? messageId : UUID.randomUUID().toString();
        Instant now = Instant.now();
        ObjectNode n = Payloads.envelope(leaf, id, config.deviceId(), sampleId, seq, now);
        body.accept(n);
        return outbox.append(new OutboxMessage(seq, id, sampleId == null ? "" : sampleId, now.toEpochMilli(),
                config.topic(leaf), 1, false, droppable, Payloads.bytes(n)));
    }

    private byte[] statusPayload(boolean online, DeviceStatus s) {
        ObjectNode n = Payloads.envelope("status", UUID.randomUUID().toString(), config.deviceId(), null,
                outbox.lastSequence(), Instant.now());
        Payloads.status(n, online, info, s, storage);
        return Payloads.bytes(n);
    }

    /** Says "offline", disconnects cleanly, closes the outbox (pending messages stay on disk) and the embedded broker. */
    /**
     * On a clean stop, give the link a bounded moment to deliver what is pending (the finished sample
     * and its record are appended just before the stop); what it cannot deliver stays in the outbox
     * for the next start.
     */
    private void drain() {
        long deadline = System.nanoTime() + DRAIN_ON_CLOSE.toNanos();
        while (link.connected() && outbox.pendingCount() > 0 && System.nanoTime() < deadline) {
            link.wake();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            // each report may evict further per-field messages: report until none is left undeclared
            try {
                for (int i = 0; i < 100 && undeclared.count() > 0; i++) {
                    reportDrops(null);
                }
            } catch (IOException | RuntimeException e) {
                Logger.warn("MQTT: {} dropped message(s) could not be reported: {}", undeclared.count(), e.getMessage());
            }
            closed = true;
        }
        drain();
        link.close();
        try {
            outbox.close();
        } catch (IOException e) {
            Logger.warn("MQTT outbox close: {}", e.getMessage());
        }
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                Logger.warn("embedded broker close: {}", e.getMessage());
            }
        }
    }
}
