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

    /**
     * The real path: {@code systemd-notify} sending to a unix datagram socket that stands in for
     * systemd's (a python3 listener, since Java has no unix datagram sockets). Skipped without them.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS)
    void systemdNotifyDeliversToTheNotifySocket(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(onPath("systemd-notify") && onPath("python3"),
                "systemd-notify or python3 not installed: real notify-socket test skipped");
        java.nio.file.Path sock = dir.resolve("notify.sock");
        String listener = "import socket,sys\n"
                + "s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM);s.bind(sys.argv[1]);s.settimeout(30)\n"
                + "print('listening',flush=True)\n"
                + "while True:\n"
                + "  m=s.recv(4096).decode()\n"
                + "  if m!='BARRIER=1': print(m,flush=True)\n"
                + "  if m=='STOPPING=1': break\n";
        Process py = new ProcessBuilder("python3", "-c", listener, sock.toString()).redirectErrorStream(true).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(py.getInputStream()))) {
            assertEquals("listening", out.readLine());
            SystemdNotifier n = new SystemdNotifier(true,
                    SystemdNotifier.systemdNotify(java.util.Map.of("NOTIFY_SOCKET", sock.toString())), () -> now);
            // One at a time: each systemd-notify is a separate process, so wait for each to arrive.
            n.ready();
            assertEquals("READY=1", out.readLine());
            n.run();
            assertEquals("WATCHDOG=1", out.readLine());
            n.run(); // rate-limited: nothing sent
            n.stopping();
            assertEquals("STOPPING=1", out.readLine());
        } finally {
            py.destroy();
        }
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
