package org.hematovision.mqtt.outbox;

import java.util.Objects;

/**
 * One message the appliance means to publish, as kept in the outbox.
 *
 * @param seq       per-device sequence number; strictly increasing in append order, the outbox key
 * @param messageId unique id (UUID) repeated inside the payload, so a subscriber can drop duplicates
 * @param sampleId  sample it belongs to, empty for device-level messages
 * @param timestamp epoch milliseconds when it was made
 * @param topic     MQTT topic
 * @param qos       MQTT QoS (0..2)
 * @param retained  MQTT retained flag
 * @param droppable true for per-field traffic that may be dropped when the outbox is full, false for
 *                  summaries, alerts and reports that are kept as long as anything can be
 * @param payload   the bytes published
 */
public record OutboxMessage(long seq, String messageId, String sampleId, long timestamp, String topic, int qos,
                            boolean retained, boolean droppable, byte[] payload) {

    public OutboxMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(sampleId, "sampleId");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0..2, got " + qos);
        }
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be >= 1, got " + seq);
        }
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** Payload size without copying. */
    public int payloadLength() {
        return payload.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutboxMessage m && m.seq == seq && m.messageId.equals(messageId)
                && m.sampleId.equals(sampleId) && m.timestamp == timestamp && m.topic.equals(topic) && m.qos == qos
                && m.retained == retained && m.droppable == droppable && java.util.Arrays.equals(m.payload, payload);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq) * 31 + messageId.hashCode();
    }

    @Override
    public String toString() {
        return "OutboxMessage[seq=" + seq + ", id=" + messageId + ", topic=" + topic + ", " + payload.length + " B]";
    }
}
