package org.hematovision.capture;

/**
 * A frame source cannot deliver: device missing or unplugged, file unreadable, decoder failure.
 * The message says what the user should check (device path, permissions, file name).
 */
public class CaptureException extends Exception {

    public CaptureException(String message) {
        super(message);
    }

    public CaptureException(String message, Throwable cause) {
        super(message, cause);
    }
}
