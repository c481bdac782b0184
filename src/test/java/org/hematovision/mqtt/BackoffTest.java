package org.hematovision.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static List<Long> delays(Backoff b, int n) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(b.next());
        }
        return out;
    }

    @Test
    void doublesUpToTheCapWithinTheJitterBand() {
        Duration min = Duration.ofMillis(500);
        Duration max = Duration.ofSeconds(60);
        // extreme draws: no jitter at all (upper edge) and full jitter (lower edge)
        assertEquals(List.of(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 32000L, 60000L, 60000L),
                delays(new Backoff(min, max, b -> b), 9));
        assertEquals(List.of(250L, 500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L),
                delays(new Backoff(min, max, b -> 0), 9));
        Backoff real = Backoff.withJitter(min, max);
        for (int i = 0; i < 1000; i++) {
            long nominal = Math.min(60000, 500L << Math.min(i, 20));
            long d = real.next();
            assertTrue(d >= nominal / 2 && d <= nominal, i + ": " + d + " outside [" + nominal / 2 + ", " + nominal + "]");
        }
        real.reset();
        assertTrue(real.next() <= 500);
    }
}
