package org.hematovision.capture;

import java.util.Optional;
import org.tinylog.Logger;

/**
 * A live source that survives its device going away (USB camera unplugged, cable knocked).
 *
 * <p>States: <b>up</b> (frames flow from the opened device) and <b>down</b>. A failed read or open
 * closes the device, goes down and throws a {@link CaptureException}. While down, each {@link #next()}
 * waits until the next attempt is due (at most one backoff step), tries to reopen once and either
 * resumes or throws again; the wait doubles from the minimum to the maximum backoff and resets once the
 * device works. Frame indices run on across reconnections so downstream stages see one stream.
 */
public final class ReconnectingSource implements FrameSource {

    /** Opens the device afresh; each call returns a new, independently closable source. */
    @FunctionalInterface
    public interface Opener {
        FrameSource open() throws CaptureException;
    }

    private final Opener opener;
    private final String description;
    private final long minBackoffNanos;
    private final long maxBackoffNanos;
    private FrameSource device;
    private long backoffNanos;
    private long nextAttemptNanos;
    private long index;
    private long reconnects;
    private boolean closed;

    /** Opens lazily: the first {@link #next()} opens the device, so a missing camera fails with its message there. */
    public ReconnectingSource(Opener opener, String description, long minBackoffMillis, long maxBackoffMillis) {
        if (minBackoffMillis <= 0 || maxBackoffMillis < minBackoffMillis) {
            throw new IllegalArgumentException("backoff must satisfy 0 < min <= max, got " + minBackoffMillis + ", " + maxBackoffMillis);
        }
        this.opener = opener;
        this.description = description;
        this.minBackoffNanos = minBackoffMillis * 1_000_000L;
        this.maxBackoffNanos = maxBackoffMillis * 1_000_000L;
        this.backoffNanos = minBackoffNanos;
        this.nextAttemptNanos = System.nanoTime();
    }

    @Override
    public Optional<Frame> next() throws CaptureException {
        if (closed) {
            throw new CaptureException(description + " is closed");
        }
        if (device == null) {
            reopen();
        }
        try {
            Optional<Frame> f = device.next();
            if (f.isEmpty()) {
                throw new CaptureException(description + " stopped delivering frames");
            }
            backoffNanos = minBackoffNanos; // a frame arrived: the device is healthy again
            Frame frame = f.get();
            return Optional.of(new Frame(index++, frame.timestampNanos(), frame.image()));
        } catch (CaptureException e) {
            goDown();
            throw new CaptureException(e.getMessage() + " (will try to reopen it)", e);
        }
    }

    private void reopen() throws CaptureException {
        long wait = nextAttemptNanos - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CaptureException("interrupted while waiting to reopen " + description, e);
            }
        }
        try {
            device = opener.open();
        } catch (CaptureException e) {
            long retryMillis = backoffNanos / 1_000_000L;
            nextAttemptNanos = System.nanoTime() + backoffNanos;
            backoffNanos = Math.min(maxBackoffNanos, backoffNanos * 2);
            throw new CaptureException(e.getMessage() + " (retrying in " + retryMillis + " ms)", e);
        }
        if (reconnects++ > 0) {
            Logger.info("{} is back", description);
        }
    }

    private void goDown() {
        if (device != null) {
            device.close();
            device = null;
        }
        nextAttemptNanos = System.nanoTime() + backoffNanos;
        backoffNanos = Math.min(maxBackoffNanos, backoffNanos * 2);
    }

    /** True while the device is open and delivering. */
    public boolean isUp() {
        return device != null;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        closed = true;
        if (device != null) {
            device.close();
            device = null;
        }
    }
}
