package org.hematovision.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {

    private long now;
    private final RateLimitedLog log = new RateLimitedLog(60_000, () -> now);

    @Test
    void oneLinePerMinutePerKeyWithTheCountOfHeldBackRepeats() {
        assertEquals(0, log.acquire("disk"));
        for (int i = 0; i < 599; i++) {
            now += TimeUnit.MILLISECONDS.toNanos(100); // a failure every field for ~a minute
            assertEquals(-1, log.acquire("disk"));
        }
        assertEquals(0, log.acquire("broker"), "another problem has its own budget");
        now += TimeUnit.MILLISECONDS.toNanos(100);
        assertEquals(599, log.acquire("disk"), "the next line says how many were held back");
        assertEquals(-1, log.acquire("disk"));
    }

    @Test
    void recoveryIsReportedOnceAndRearmsTheKey() {
        assertFalse(log.recovered("disk", "never failed"), "nothing to report");
        log.error("disk", "disk full");
        assertTrue(log.failing("disk"));
        assertTrue(log.recovered("disk", "disk writable again"));
        assertFalse(log.recovered("disk", "disk writable again"));
        assertEquals(0, log.acquire("disk"), "a new failure is logged at once");
    }
}
