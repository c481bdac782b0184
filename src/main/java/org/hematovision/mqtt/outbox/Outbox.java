package org.hematovision.mqtt.outbox;

import java.io.Closeable;
import java.io.IOException;
import java.util.Collection;
import java.util.List;

/**
 * Durable store-and-forward queue between the publisher and the broker.
 *
 * <p>Life of a message: {@link #append} (stored and synced to the medium before it returns) →
 * delivered by the connection in sequence order → {@link #acknowledge} once the broker acknowledged
 * it (QoS 1 PUBACK) → gone. After a crash or power loss at any instant, reopening the same directory
 * yields every appended and not yet acknowledged message, in order; a record torn by the crash is
 * detected and skipped. A message acknowledged just before the crash, whose acknowledgement was not
 * yet synced, may come back once: subscribers drop it by its message id.
 *
 * <p>Bounded: when the disk budget is reached a droppable (per-field) message is dropped instead of
 * stored, and a non-droppable one evicts pending droppable messages, oldest first. Every drop is
 * counted ({@link #takeDropped}) so the caller can report it.
 *
 * <p>Thread-safe.
 */
public interface Outbox extends Closeable {

    /**
     * Stores {@code message} durably (synced) before returning.
     *
     * @return true when stored; false when it was droppable and the outbox is full (it was counted
     *         as dropped, nothing was stored)
     * @throws OutboxFullException a non-droppable message does not fit even after evicting every
     *         droppable one; nothing was stored
     * @throws IOException the medium failed; nothing was stored
     * @throws IllegalArgumentException {@code message.seq()} is not above {@link #lastSequence()}
     */
    boolean append(OutboxMessage message) throws IOException;

    /** Pending messages with {@code seq > afterSeq}, in sequence order, at most {@code max}. */
    List<OutboxMessage> pending(long afterSeq, int max);

    /**
     * Forgets the given messages for good (the broker has them); unknown sequence numbers are
     * ignored. Synced before it returns: if it throws, some of them may come back after a restart.
     */
    void acknowledge(Collection<Long> seqs) throws IOException;

    /** Number of pending messages. */
    int pendingCount();

    /** Bytes the outbox occupies on disk. */
    long diskBytes();

    /** Highest sequence number ever appended (kept across restarts, also after everything was acknowledged); 0 if none. */
    long lastSequence();

    /** Messages dropped or evicted since the previous call (a report of them is the caller's job). */
    DropCount takeDropped();

    /** Records found corrupt and skipped when the outbox was opened. */
    int corruptRecordsSkipped();

    /** What was dropped: how many, and the range of their sequence numbers (0 when none). */
    record DropCount(int count, long firstSeq, long lastSeq) {
        public static final DropCount NONE = new DropCount(0, 0, 0);
    }
}
