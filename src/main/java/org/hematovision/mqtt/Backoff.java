package org.hematovision.mqtt;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Reconnect delays: exponential with "equal jitter". The n-th delay is drawn uniformly from
 * [d/2, d] with d = min(max, min·2ⁿ), so devices that lost the same broker spread their retries
 * while each still waits at least half the nominal delay. Not thread-safe (one per link).
 */
final class Backoff {

    private final long minMillis;
    private final long maxMillis;
    private final LongUnaryOperator random;
    private long nominal;

    /** @param random maps a bound {@code b} to a uniform value in [0, b] */
    Backoff(Duration min, Duration max, LongUnaryOperator random) {
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
        this.random = random;
        this.nominal = minMillis;
    }

    static Backoff withJitter(Duration min, Duration max) {
        return new Backoff(min, max, b -> java.util.concurrent.ThreadLocalRandom.current().nextLong(b + 1));
    }

    /** The next delay in milliseconds; the nominal delay doubles up to the cap. */
    long next() {
        long d = nominal;
        nominal = Math.min(maxMillis, nominal * 2);
        return d - d / 2 + random.applyAsLong(d / 2);
    }

    /** After a successful connection: start again from the minimum. */
    void reset() {
        nominal = minMillis;
    }
}
