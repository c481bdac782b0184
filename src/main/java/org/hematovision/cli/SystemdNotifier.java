package org.hematovision.cli;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.tinylog.Logger;

/**
 * Tells systemd the service is ready and, while the run loop turns, that it is alive
 * ({@code WATCHDOG=1}). The run loop calls {@link #run()} after every completed turn: a frame handled,
 * or a failed camera read handled (a missing camera is a live service retrying). A read or a stage
 * that hangs stops the calls, the pings stop, and after {@code WatchdogSec=} systemd kills and
 * restarts the service. Camera reads cannot hang the loop: they are bounded by
 * {@code capture.readTimeoutMillis}.
 *
 * <p>Uses the {@code systemd-notify} tool ({@code NotifyAccess=all} in the unit; Java cannot send
 * unix datagrams). systemd-notify (systemd 246+) waits for the manager to take the message, so the
 * short-lived sender is still alive when systemd attributes it to the service.
 */
final class SystemdNotifier implements Runnable {

    /** Ping at most this often; a sixth of the unit's {@code WatchdogSec=60}. */
    static final long PING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final boolean enabled;
    private final Consumer<String> sender;
    private final LongSupplier nanoTime;
    private long lastPing;
    private boolean pinged;

    SystemdNotifier(boolean enabled) {
        this(enabled && System.getenv("NOTIFY_SOCKET") != null, systemdNotify(Map.of()), System::nanoTime);
        if (enabled && !this.enabled) {
            Logger.warn("--systemd given but NOTIFY_SOCKET is not set: not running under systemd, no watchdog pings");
        }
    }

    /** For tests: {@code sender} receives each notification, {@code nanoTime} is the clock of the rate limit. */
    SystemdNotifier(boolean enabled, Consumer<String> sender, LongSupplier nanoTime) {
        this.enabled = enabled;
        this.sender = sender;
        this.nanoTime = nanoTime;
    }

    void ready() {
        send("READY=1");
    }

    @Override
    public void run() {
        long now = nanoTime.getAsLong();
        if (!pinged || now - lastPing >= PING_INTERVAL_NANOS) {
            pinged = true;
            lastPing = now;
            send("WATCHDOG=1");
        }
    }

    void stopping() {
        send("STOPPING=1");
    }

    private void send(String message) {
        if (enabled) {
            sender.accept(message);
        }
    }

    /** Sends through the {@code systemd-notify} tool; {@code env} is added to its environment (tests: a fake NOTIFY_SOCKET). */
    static Consumer<String> systemdNotify(Map<String, String> env) {
        return message -> {
            try {
                // Not waited for (the JVM reaps the child): a slow systemd must not stall the pipeline thread.
                ProcessBuilder pb = new ProcessBuilder("systemd-notify", message).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
                pb.environment().putAll(env);
                pb.start();
            } catch (IOException e) {
                Logger.warn("systemd-notify {} failed: {}", message, e.getMessage());
            }
        };
    }
}
