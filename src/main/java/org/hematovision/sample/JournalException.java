package org.hematovision.sample;

/**
 * The sample journal could not be written or read (disk full, read-only file system, I/O error).
 * When thrown from an append, the field was not recorded and must be treated as not counted.
 */
public class JournalException extends RuntimeException {

    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
