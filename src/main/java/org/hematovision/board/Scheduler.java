package org.hematovision.board;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Time for the board: a monotonic clock and delayed tasks. Injected so that debouncing, LED/buzzer
 * patterns and display rate limits are tested by advancing a manual clock instead of sleeping.
 */
public interface Scheduler {

    /** Monotonic milliseconds (only differences are meaningful). */
    long nowMillis();

    /** Runs {@code task} once after {@code delayMillis}; the returned handle cancels it if it has not run. */
    Cancellable schedule(long delayMillis, Runnable task);

    /** A scheduled task that can still be called off. */
    interface Cancellable {
        void cancel();
    }

    /**
     * A scheduler on one daemon thread named {@code threadName}. Tasks run one at a time; a task that
     * throws is logged by the caller's wrapper, never kills the thread.
     */
    static SystemScheduler system(String threadName) {
        return new SystemScheduler(threadName);
    }

    /** The production scheduler; close it to stop its thread. */
    final class SystemScheduler implements Scheduler, AutoCloseable {
        private final ScheduledExecutorService executor;

        private SystemScheduler(String threadName) {
            executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        public long nowMillis() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
        }

        @Override
        public Cancellable schedule(long delayMillis, Runnable task) {
            Runnable guarded = () -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    org.tinylog.Logger.warn(e, "Board task failed: {}", e.getMessage());
                }
            };
            ScheduledFuture<?> f = executor.schedule(guarded, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }
}
