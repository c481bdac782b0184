package org.hematovision.board;

/** The board's GPIO could not be opened or driven (no gpiochip, no permission, pin busy); the message says why. */
public class BoardException extends RuntimeException {

    public BoardException(String message, Throwable cause) {
        super(message, cause);
    }
}
