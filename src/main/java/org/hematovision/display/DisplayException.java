package org.hematovision.display;

/** A frame could not be shown (device missing, bus error, file not writable); the message says why. */
public class DisplayException extends RuntimeException {

    public DisplayException(String message, Throwable cause) {
        super(message, cause);
    }

    public DisplayException(String message) {
        super(message);
    }
}
