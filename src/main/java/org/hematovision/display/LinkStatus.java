package org.hematovision.display;

/**
 * The publishing link as the screen shows it: whether the broker is reachable and how many messages
 * wait in the outbox.
 */
public record LinkStatus(boolean brokerOnline, long messagesWaiting) {

    public static final LinkStatus ONLINE = new LinkStatus(true, 0);

    public LinkStatus {
        if (messagesWaiting < 0) {
            throw new IllegalArgumentException("messagesWaiting must be >= 0, got " + messagesWaiting);
        }
    }
}
