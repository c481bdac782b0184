package org.hematovision.sample;

import java.util.Objects;

/**
 * Whether counted fields reach the disk: shown on the display (disk indicator) and published in the
 * MQTT status. A typed signal rather than status text, so every sink can show it its own way.
 *
 * @param writable       false while the journal cannot be written (storage full or read-only)
 * @param fieldsInMemory counted fields held only in memory until the storage takes writes again
 * @param reason         why writes fail (the file and the system's message), "" when writable
 */
public record StorageStatus(boolean writable, int fieldsInMemory, String reason) {

    /** Everything counted is on disk. */
    public static final StorageStatus OK = new StorageStatus(true, 0, "");

    public StorageStatus {
        if (fieldsInMemory < 0) {
            throw new IllegalArgumentException("fieldsInMemory must be >= 0, got " + fieldsInMemory);
        }
        reason = Objects.requireNonNullElse(reason, "");
    }

    /** Storage failing: {@code fields} counted fields wait in memory. */
    public static StorageStatus failing(int fields, String reason) {
        return new StorageStatus(false, fields, reason);
    }
}
