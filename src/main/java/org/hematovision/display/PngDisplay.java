package org.hematovision.display;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.hematovision.board.Scheduler;
import org.tinylog.Logger;

/**
 * The virtual display: each frame becomes a PNG file (e.g. {@code var/display.png}) that a dashboard or
 * a person can open. Written to a temporary file beside it and renamed over it, so a reader never sees
 * half a PNG. Writes are rate-limited to one per {@code minIntervalMillis}; a frame arriving sooner is
 * held and written when the interval has passed (only the newest held frame is written), and
 * {@link #close()} writes a held frame at once, so the last screen (e.g. "stopped") is never lost.
 */
public final class PngDisplay implements Display {

    /** Default minimum time between two file writes. */
    public static final long DEFAULT_MIN_INTERVAL_MILLIS = 250;

    private final Path path;
    private final Path temp;
    private final PanelSpec panel;
    private final long minIntervalMillis;
    private final Scheduler scheduler;

    private BufferedImage pending;
    private Scheduler.Cancellable flushTask;
    private long lastWrite;
    private boolean written;
    private boolean closed;
    private boolean flushFailing;
    private long writes;

    public PngDisplay(Path path, PanelSpec panel, long minIntervalMillis, Scheduler scheduler) {
        this.path = Objects.requireNonNull(path, "path").toAbsolutePath();
        this.temp = this.path.resolveSibling(this.path.getFileName() + ".tmp");
        this.panel = Objects.requireNonNull(panel, "panel");
        if (minIntervalMillis < 0) {
            throw new IllegalArgumentException("minIntervalMillis must be >= 0, got " + minIntervalMillis);
        }
        this.minIntervalMillis = minIntervalMillis;
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    @Override
    public PanelSpec panel() {
        return panel;
    }

    @Override
    public synchronized void show(BufferedImage frame) {
        if (closed) {
            throw new DisplayException("png display " + path + " is closed");
        }
        if (frame.getWidth() != panel.width() || frame.getHeight() != panel.height()) {
            throw new IllegalArgumentException("frame is " + frame.getWidth() + "x" + frame.getHeight()
                    + ", display is " + panel);
        }
        long now = scheduler.nowMillis();
        if (!written || now - lastWrite >= minIntervalMillis) {
            pending = null;
            write(frame, now);
        } else {
            pending = frame;
            if (flushTask == null) {
                flushTask = scheduler.schedule(lastWrite + minIntervalMillis - now, this::flushPending);
            }
        }
    }

    private synchronized void flushPending() {
        flushTask = null;
        if (pending == null || closed) {
            return;
        }
        BufferedImage frame = pending;
        pending = null;
        try {
            write(frame, scheduler.nowMillis());
            flushFailing = false;
        } catch (DisplayException e) {
            // nobody waits on this call: report the failure here, once per run of failures
            if (!flushFailing) {
                Logger.error("Virtual display: {}", e.getMessage());
                flushFailing = true;
            }
        }
    }

    private void write(BufferedImage frame, long now) {
        try {
            Path dir = path.getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            // through our own stream: ImageIO.write(File) prints a stack trace on every failed open
            // (read-only storage), flooding the log once per frame
            try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(temp))) {
                if (!ImageIO.write(frame, "png", out)) {
                    throw new DisplayException("no PNG writer for a " + frame.getType() + " image");
                }
            }
            try {
                Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp); // disk full mid-write: leave no partial file behind
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e instanceof DisplayException d ? d : new DisplayException("cannot write " + path + ": " + e, e);
        }
        lastWrite = now;
        written = true;
        writes++;
    }

    /** Files written so far (for tests and the status log). */
    public synchronized long writes() {
        return writes;
    }

    public Path path() {
        return path;
    }

    @Override
    public String describe() {
        return "png " + path + " " + panel;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (flushTask != null) {
            flushTask.cancel();
            flushTask = null;
        }
        if (pending != null) {
            BufferedImage frame = pending;
            pending = null;
            try {
                write(frame, scheduler.nowMillis());
            } catch (DisplayException e) {
                Logger.error("Virtual display: last frame not written: {}", e.getMessage());
            }
        }
        closed = true;
    }
}
