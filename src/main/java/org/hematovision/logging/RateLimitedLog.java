package org.hematovision.logging;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.tinylog.Level;
import org.tinylog.provider.LoggingProvider;
import org.tinylog.provider.ProviderRegistry;

/**
 * Logs a repeated problem (disk full, broker gone, a sink failing on every field) at most once per
 * interval per key, then says how many repeats were held back; logs once more when the problem
 * clears. An appliance that fails the same way on every field for a month must not fill its card
 * with the same line. Thread-safe.
 */
public final class RateLimitedLog {

    /** The default: at most one line per problem per minute. */
    public static final long DEFAULT_INTERVAL_MILLIS = 60_000;

    private static final LoggingProvider LOG = ProviderRegistry.getLoggingProvider();

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final Map<String, long[]> problems = new ConcurrentHashMap<>(); // key -> {last logged, held back}

    public RateLimitedLog() {
        this(DEFAULT_INTERVAL_MILLIS, System::nanoTime);
    }

    /** @param nanoTime a monotonic clock (tests pass a manual one) */
    public RateLimitedLog(long intervalMillis, LongSupplier nanoTime) {
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("interval must be > 0 ms, got " + intervalMillis);
        }
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.nanoTime = nanoTime;
    }

    /**
     * Whether a line for {@code key} may be written now.
     *
     * @return -1 when it is held back (counted); otherwise how many were held back since the last line
     */
    public long acquire(String key) {
        long now = nanoTime.getAsLong();
        long[] result = {-1};
        problems.compute(key, (k, st) -> {
            if (st == null) {
                result[0] = 0;
                return new long[] {now, 0};
            }
            if (now - st[0] >= intervalNanos) {
                result[0] = st[1];
                return new long[] {now, 0};
            }
            st[1]++;
            return st;
        });
        return result[0];
    }

    /** Logs as the caller's class (tinylog looks for the frame after this class), not as this helper. */
    private static void log(Level level, String message) {
        LOG.log(RateLimitedLog.class.getName(), null, level, null, null, message);
    }

    /** True while {@code key} has failed and not yet {@link #recovered recovered}. */
    public boolean failing(String key) {
        return problems.containsKey(key);
    }

    /** Error line for {@code key}, at most once per interval; {@code message} is complete (no placeholders). */
    public void error(String key, String message) {
        long held = acquire(key);
        if (held >= 0) {
            log(Level.ERROR, held == 0 ? message : message + " (" + held + " more like this since the last report)");
        }
    }

    public void warn(String key, String message) {
        long held = acquire(key);
        if (held >= 0) {
            log(Level.WARN, held == 0 ? message : message + " (" + held + " more like this since the last report)");
        }
    }

    /** The problem cleared: logs {@code message} once if it was failing, and re-arms the key. */
    public boolean recovered(String key, String message) {
        if (problems.remove(key) != null) {
            log(Level.INFO, message);
            return true;
        }
        return false;
    }
}
