package org.hematovision.sample;

/**
 * The appliance's state as shown on the display and published as retained status.
 *
 * @param state  one of the states below
 * @param detail human-readable detail (what to do), may be empty
 */
public record DeviceStatus(State state, String detail) {

    public enum State {
        /** Waiting for a sample / slide. */
        READY,
        /** Fields are being analysed. */
        ANALYSING,
        /** Frames arrive but none is sharp: adjust focus. */
        OUT_OF_FOCUS,
        /** The camera cannot be read; retrying. */
        CAMERA_MISSING,
        /** Shutting down. */
        STOPPED
    }
}
