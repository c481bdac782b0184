package org.hematovision.store;

import java.nio.file.Path;
import org.hematovision.config.ConfigException;

/**
 * Where records live and how long (keys {@code store.*}).
 *
 * @param dir           {@code store.dir}: the store's root (journal, open sample, records)
 * @param retentionDays {@code store.retentionDays}: records older than this many days are removed (0 = keep forever)
 * @param maxBytes      {@code store.maxBytes}: when the records take more, the oldest are removed (0 = no limit)
 */
public record StoreConfig(Path dir, int retentionDays, long maxBytes) {

    /** The systemd unit's {@code StateDirectory=hematovision}. */
    public static final Path DEFAULT_DIR = Path.of("/var/lib/hematovision");
    /**
     * Two years: the minimum US CLIA retention for test records and reports (42 CFR 493.1105);
     * local rules may ask for more, never less.
     */
    public static final int DEFAULT_RETENTION_DAYS = 2 * 365;
    /** 4 GiB: a fraction of a 32 GB SD card; a record with its gallery is typically 1–5 MB. */
    public static final long DEFAULT_MAX_BYTES = 4L << 30;
    /** Smallest {@code store.maxBytes} a configuration file may set (0 = no limit aside). */
    public static final long MIN_MAX_BYTES = 1L << 20;

    public StoreConfig {
        if (dir == null || dir.toString().isBlank()) {
            throw new ConfigException("store.dir", "must name a directory (allowed: any writable path)");
        }
        ConfigException.requireRange("store.retentionDays", retentionDays, 0, 100 * 365);
        if (maxBytes < 0) {
            throw new ConfigException("store.maxBytes", maxBytes + " is negative (allowed: 0 = no limit, or bytes > 0)");
        }
    }

    public static StoreConfig defaults() {
        return new StoreConfig(DEFAULT_DIR, DEFAULT_RETENTION_DAYS, DEFAULT_MAX_BYTES);
    }

    public static StoreConfig at(Path dir) {
        return new StoreConfig(dir, DEFAULT_RETENTION_DAYS, DEFAULT_MAX_BYTES);
    }

    public Path journalDir() {
        return dir.resolve("journal");
    }

    public Path openDir() {
        return dir.resolve("open");
    }

    public Path recordsDir() {
        return dir.resolve("records");
    }
}
