package org.hematovision.board;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hematovision.sample.SampleControl;

/**
 * The two buttons. A press counts once the input has held its new level for the debounce time (contact
 * bounce restarts the wait). A short press acts on release: "new sample" or "finish/acknowledge". Holding
 * either button for the long-press time asks for a safe stop, once, and that press does nothing else.
 * Edges come from Pi4J's listener threads, timers from the scheduler: all state changes are synchronized.
 */
public final class Buttons implements AutoCloseable {

    private final SampleControl control;
    private final Scheduler scheduler;
    private final long debounceMillis;
    private final long longPressMillis;
    private final boolean activeLow;
    private final Button newSample;
    private final Button finish;
    private final AtomicBoolean shutdownRequested = new AtomicBoolean();
    private boolean closed;

    public Buttons(DigitalInput newSampleInput, DigitalInput finishInput, SampleControl control, Scheduler scheduler,
                   long debounceMillis, long longPressMillis, boolean activeLow) {
        this.control = Objects.requireNonNull(control, "control");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.debounceMillis = debounceMillis;
        this.longPressMillis = longPressMillis;
        this.activeLow = activeLow;
        this.newSample = new Button("new sample", newSampleInput, control::newSample);
        this.finish = new Button("finish", finishInput, control::finishOrAcknowledge);
    }

    private final class Button {
        final String name;
        final DigitalInput input;
        final Runnable shortPress;
        final DigitalStateChangeListener listener;
        Scheduler.Cancellable settle;
        Scheduler.Cancellable longTimer;
        /**
         * Numbers the timers: a task the timer thread has already taken cannot be cancelled and runs late,
         * so each task acts only if it is still the button's latest of its kind.
         */
        long settleGeneration;
        long longGeneration;
        boolean pressed;
        boolean longFired;
        /** The level the last edge reported, and when it came. */
        DigitalState lastLevel;
        long lastEdgeMillis;

        Button(String name, DigitalInput input, Runnable shortPress) {
            this.name = name;
            this.input = Objects.requireNonNull(input, name);
            this.shortPress = shortPress;
            this.listener = event -> edge(this, event.state());
            input.addListener(listener);
        }

        void cancelTimers() {
            if (settle != null) {
                settle.cancel();
                settle = null;
            }
            if (longTimer != null) {
                longTimer.cancel();
                longTimer = null;
            }
        }
    }

    private synchronized void edge(Button b, DigitalState level) {
        if (closed) {
            return;
        }
        long now = scheduler.nowMillis();
        if (b.settle != null) {
            b.settle.cancel();
            b.settle = null;
            // The level since the previous edge held for the debounce time, but the timer thread was busy
            // (an fsync, a PNG write) and has not looked yet: take it now, or a short press would vanish
            // with its release edge.
            if (b.lastLevel != null && now - b.lastEdgeMillis >= debounceMillis) {
                apply(b, b.lastLevel);
            }
        }
        b.lastLevel = level;
        b.lastEdgeMillis = now;
        long generation = ++b.settleGeneration;
        b.settle = scheduler.schedule(debounceMillis, () -> settled(b, generation));
    }

    private synchronized void settled(Button b, long generation) {
        if (closed || generation != b.settleGeneration) {
            return; // closed, or superseded by a later edge after the timer had taken this task
        }
        b.settle = null;
        apply(b, b.input.state());
    }

    /** The input has held {@code level} for the debounce time. */
    private void apply(Button b, DigitalState level) {
        boolean down = activeLow ? level == DigitalState.LOW : level == DigitalState.HIGH;
        if (down == b.pressed) {
            return; // bounced back to where it was
        }
        b.pressed = down;
        if (down) {
            b.longFired = false;
            long generation = ++b.longGeneration;
            b.longTimer = scheduler.schedule(longPressMillis - debounceMillis, () -> longPress(b, generation));
        } else {
            if (b.longTimer != null) {
                b.longTimer.cancel();
                b.longTimer = null;
            }
            b.longGeneration++;
            if (!b.longFired) {
                b.shortPress.run();
            }
        }
    }

    private synchronized void longPress(Button b, long generation) {
        if (closed || !b.pressed || generation != b.longGeneration) {
            return;
        }
        b.longTimer = null;
        b.longFired = true;
        if (shutdownRequested.compareAndSet(false, true)) {
            control.shutdown();
        }
    }

    /** Stops listening; pending presses are dropped. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Button b : new Button[] {newSample, finish}) {
            b.cancelTimers();
            b.input.removeListener(b.listener);
        }
    }
}
