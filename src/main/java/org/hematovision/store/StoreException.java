package org.hematovision.store;

/** The record store could not do what was asked; the message says which file and why. */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
