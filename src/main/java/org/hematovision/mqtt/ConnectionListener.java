package org.hematovision.mqtt;

/** Connection events of the publisher's link, called on its background thread; must return quickly. */
public interface ConnectionListener {

    ConnectionListener NONE = new ConnectionListener() {
    };

    default void connected(String serverUri) {
    }

    /** A connection attempt failed; {@code message} is worded for the operator. */
    default void connectFailed(String message) {
    }

    default void connectionLost(String message) {
    }
}
