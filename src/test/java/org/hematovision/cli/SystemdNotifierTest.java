package org.hematovision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The notifier's rate limit and messages, with the systemd-notify call replaced by a list. */
class SystemdNotifierTest {

    private long now = 1_000;
    private final List<String> sent = new ArrayList<>();

    @Test
    void pingsOnTheFirstTurnThenAtMostOncePerInterval() {
        SystemdNotifier n = new SystemdNotifier(true, sent::add, () -> now);
        n.ready();
        n.run();
        for (int i = 0; i < 1000; i++) {
            now += TimeUnit.MILLISECONDS.toNanos(5); // 5 s of fast turns
            n.run();
        }
        assertEquals(List.of("READY=1", "WATCHDOG=1"), sent);
        now += SystemdNotifier.PING_INTERVAL_NANOS;
        n.run();
        n.run();
        assertEquals(List.of("READY=1", "WATCHDOG=1", "WATCHDOG=1"), sent);
        n.stopping();
        assertEquals("STOPPING=1", sent.get(sent.size() - 1));
    }

    @Test
    void noTurnsMeansNoPings() {
        SystemdNotifier n = new SystemdNotifier(true, sent::add, () -> now);
        n.ready();
        n.run();
        now += TimeUnit.SECONDS.toNanos(120); // the loop is wedged: nobody calls run()
        assertEquals(List.of("READY=1", "WATCHDOG=1"), sent);
        n.run(); // it turns again
        assertEquals(List.of("READY=1", "WATCHDOG=1", "WATCHDOG=1"), sent);
    }

    @Test
    void disabledSendsNothing() {
        SystemdNotifier n = new SystemdNotifier(false, sent::add, () -> now);
        n.ready();
        n.run();
        n.stopping();
        assertEquals(List.of(), sent);
    }

    @Test
    void pingIntervalLeavesRoomUnderTheUnitsWatchdog() throws Exception {
        String unit = java.nio.file.Files.readString(java.nio.file.Path.of("systemd/hematovision.service"));
        var m = java.util.regex.Pattern.compile("(?m)^WatchdogSec=(\\d+)$").matcher(unit);
        org.junit.jupiter.api.Assertions.assertTrue(m.find(), "WatchdogSec= in the unit");
        long watchdog = TimeUnit.SECONDS.toNanos(Long.parseLong(m.group(1)));
        // systemd's advice: ping at half the watchdog or more often; a camera retry adds up to the read timeout.
        org.junit.jupiter.api.Assertions.assertTrue(SystemdNotifier.PING_INTERVAL_NANOS
                + TimeUnit.MILLISECONDS.toNanos(org.hematovision.capture.CaptureConfig.DEFAULT_READ_TIMEOUT_MILLIS
                + org.hematovision.capture.CaptureConfig.DEFAULT_RECONNECT_MAX_BACKOFF_MILLIS) <= watchdog / 2);
    }
}
