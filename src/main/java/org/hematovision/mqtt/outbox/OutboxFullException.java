package org.hematovision.mqtt.outbox;

import java.io.IOException;

/** A message that must not be dropped does not fit, even after evicting every droppable message. */
public class OutboxFullException extends IOException {

    public OutboxFullException(String message) {
        super(message);
    }
}
