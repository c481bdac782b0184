package org.hematovision.capture;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Runs the blocking native calls of one device (open, grab, close) on a private thread, so the caller
 * waits at most a timeout. A call that times out keeps running in the driver; anything submitted later,
 * in particular the close, runs after it, so a native handle is never used by two threads at once.
 */
final class DeviceWorker {

    private static final int RUNNING = 0;
    private static final int DONE = 1;
    private static final int STUCK = 2;

    private final ExecutorService executor;
    private final StuckCalls stuck;

    DeviceWorker(String threadName) {
        this(threadName, new StuckCalls());
    }

    /** {@code stuck} counts this worker's calls that outlive their timeout, shared by a camera's reconnections. */
    DeviceWorker(String threadName, StuckCalls stuck) {
        this.stuck = stuck;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true); // a call stuck in the driver must not keep the JVM alive
            return t;
        });
    }

    /** Runs {@code task}; a timeout or failure becomes a CaptureException naming {@code what} and {@code action}. */
    <T> T call(Callable<T> task, long timeoutMillis, String what, String action) throws CaptureException {
        // RUNNING -> DONE when the call returns in time; RUNNING -> STUCK when the caller gives up first,
        // and the call itself then takes its count back whenever the driver lets it return.
        AtomicInteger state = new AtomicInteger(RUNNING);
        Future<T> future = executor.submit(() -> {
            try {
                return task.call();
            } finally {
                if (!state.compareAndSet(RUNNING, DONE)) {
                    stuck.left();
                }
            }
        });
        try {
            return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (state.compareAndSet(RUNNING, STUCK)) {
                stuck.entered();
            }
            throw new CaptureException(what + ": " + action + " took longer than " + timeoutMillis
                    + " ms (capture.readTimeoutMillis): is the camera still connected?", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new CaptureException(what + ": " + action + " failed: "
                    + (cause instanceof FrameGrabber.Exception ? cause.getMessage() : String.valueOf(cause)), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureException(what + ": interrupted during " + action, e);
        }
    }

    /** Queues {@code closer} behind any call still running and stops the thread after it; does not wait. */
    void closeAfterPending(Runnable closer) {
        if (!executor.isShutdown()) {
            executor.submit(closer);
            executor.shutdown();
        }
    }
}
