package org.hematovision.cli;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * Tells systemd the service is ready and, while the pipeline makes progress, that it is alive
 * ({@code WATCHDOG=1}). It is called from the pipeline thread after each frame, so a wedged
 * pipeline stops the pings and systemd restarts the service ({@code WatchdogSec=} in the unit).
 * Uses the {@code systemd-notify} tool ({@code NotifyAccess=all} in the unit), rate-limited.
 */
final class SystemdNotifier implements Runnable {

    /** Ping at most this often; well below the unit's {@code WatchdogSec=60}. */
    private static final long PING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final boolean enabled;
    private long lastPing = Long.MIN_VALUE / 2;

    SystemdNotifier(boolean enabled) {
        this.enabled = enabled && System.getenv("NOTIFY_SOCKET") != null;
        if (enabled && !this.enabled) {
            Logger.warn("--systemd given but NOTIFY_SOCKET is not set: not running under systemd, no watchdog pings");
        }
    }

    void ready() {
        send("--ready");
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        if (now - lastPing >= PING_INTERVAL_NANOS) {
            lastPing = now;
            send("WATCHDOG=1");
        }
    }

    void stopping() {
        send("STOPPING=1");
    }

    private void send(String message) {
        if (!enabled) {
            return;
        }
        try {
            new ProcessBuilder("systemd-notify", message).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            Logger.warn("systemd-notify {} failed: {}", message, e.getMessage());
        }
    }
}
