package org.hematovision.board;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A scheduler whose clock moves only when the test advances it; due tasks run on the test thread, in time order. */
public final class ManualScheduler implements Scheduler {

    private long now;
    private long seq;
    private final List<Task> tasks = new ArrayList<>();

    private final class Task implements Cancellable {
        final long due;
        final long order;
        final Runnable body;
        boolean cancelled;

        Task(long due, long order, Runnable body) {
            this.due = due;
            this.order = order;
            this.body = body;
        }

        @Override
        public void cancel() {
            cancelled = true;
            tasks.remove(this);
        }
    }

    @Override
    public long nowMillis() {
        return now;
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        Task t = new Task(now + Math.max(0, delayMillis), seq++, task);
        tasks.add(t);
        return t;
    }

    /** Moves the clock forward by {@code millis} without running anything: a timer thread kept busy. */
    public void stall(long millis) {
        now += millis;
    }

    /** Moves the clock forward by {@code millis}, running every task that falls due on the way. */
    public void advance(long millis) {
        long end = now + millis;
        while (true) {
            Task next = tasks.stream().filter(t -> t.due <= end)
                    .min(Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.order)).orElse(null);
            if (next == null) {
                break;
            }
            tasks.remove(next);
            now = Math.max(now, next.due);
            next.body.run();
        }
        now = end;
    }

    /**
     * Moves the clock by {@code millis} and hands back the first task due, removed but not run: a timer
     * thread that has taken the task and waits for a lock. Cancelling it now no longer stops it.
     */
    public Runnable takeDue(long millis) {
        now += millis;
        Task next = tasks.stream().filter(t -> t.due <= now)
                .min(Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.order)).orElseThrow();
        tasks.remove(next);
        return next.body;
    }

    public int pending() {
        return tasks.size();
    }
}
