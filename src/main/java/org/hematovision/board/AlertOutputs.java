package org.hematovision.board;

import com.pi4j.io.gpio.digital.DigitalOutput;
import java.util.Objects;
import java.util.function.Consumer;
import org.hematovision.sample.Alert;
import org.hematovision.sample.DifferentialSnapshot;
import org.hematovision.sample.FieldReport;
import org.hematovision.sample.SampleListener;
import org.tinylog.Logger;

/**
 * LEDs and buzzer as a sample listener.
 * <ul>
 * <li>field captured: green LED on for {@link #FIELD_BLINK_MILLIS};</li>
 * <li>abnormal cell: red LED on until acknowledged (or a new sample), buzzer {@link #ABNORMAL_BEEPS};</li>
 * <li>target reached: red LED and buzzer together {@link #TARGET_BEEPS}.</li>
 * </ul>
 * Patterns are on/off durations in ms starting with "on" (odd length, so they end off). A new pattern
 * on an output replaces the running one. A GPIO failure is logged once with its reason; the sample goes on.
 */
public final class AlertOutputs implements SampleListener, Acknowledgeable, AutoCloseable {

    public static final long FIELD_BLINK_MILLIS = 120;
    public static final long[] ABNORMAL_BEEPS = {150, 150, 150, 150, 150};
    public static final long[] TARGET_BEEPS = {500, 250, 500};

    private final Output red;
    private final Output green;
    private final Output buzzer;
    private final Scheduler scheduler;
    private final Consumer<String> problemLog;
    private boolean abnormalHeld;
    private boolean closed;

    public AlertOutputs(DigitalOutput red, DigitalOutput green, DigitalOutput buzzer, Scheduler scheduler) {
        this(red, green, buzzer, scheduler, Logger::error);
    }

    AlertOutputs(DigitalOutput red, DigitalOutput green, DigitalOutput buzzer, Scheduler scheduler,
                 Consumer<String> problemLog) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.problemLog = problemLog;
        this.red = new Output("red LED", red);
        this.green = new Output("green LED", green);
        this.buzzer = new Output("buzzer", buzzer);
        allOff();
    }

    @Override
    public synchronized void sampleStarted(String sampleId, int targetCells) {
        if (closed) {
            return;
        }
        abnormalHeld = false;
        allOff();
    }

    @Override
    public synchronized void fieldAnalysed(FieldReport report, DifferentialSnapshot differential) {
        play(green, new long[] {FIELD_BLINK_MILLIS}, false);
    }

    @Override
    public synchronized void alert(Alert alert) {
        if (closed || alert.kind() != Alert.Kind.ABNORMAL) {
            return; // review cells are common: the screen shows them, the buzzer stays for what is urgent
        }
        abnormalHeld = true;
        red.cancel();
        red.set(true);
        play(buzzer, ABNORMAL_BEEPS, false);
    }

    @Override
    public synchronized void sampleFinished(DifferentialSnapshot differential, String reason) {
        if (differential.targetCells() > 0 && differential.leukocytes() >= differential.targetCells()) {
            play(red, TARGET_BEEPS, abnormalHeld);
            play(buzzer, TARGET_BEEPS, false);
        }
    }

    @Override
    public synchronized boolean acknowledge() {
        boolean was = abnormalHeld;
        abnormalHeld = false;
        if (was) {
            red.cancel();
            red.set(false);
            buzzer.cancel();
            buzzer.set(false);
        }
        return was;
    }

    /** Safe state: every pattern stopped, LEDs and buzzer off. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            allOff();
            closed = true;
        }
    }

    private void allOff() {
        for (Output o : new Output[] {red, green, buzzer}) {
            o.cancel();
            o.set(false);
        }
    }

    private void play(Output out, long[] steps, boolean restOn) {
        if (closed) {
            return;
        }
        out.cancel();
        step(out, out.generation, steps, 0, restOn);
    }

    /**
     * One step of a pattern. A step the timer has already started cannot be cancelled and may wait here
     * for the lock while the pattern is cancelled: its generation is then stale and it does nothing, so a
     * cancelled pattern never resumes (and never leaves an LED on for the next sample).
     */
    private synchronized void step(Output out, long generation, long[] steps, int i, boolean restOn) {
        if (closed || generation != out.generation) {
            return;
        }
        if (i >= steps.length) {
            out.pending = null;
            out.set(restOn);
            return;
        }
        out.set(i % 2 == 0);
        out.pending = scheduler.schedule(steps[i], () -> step(out, generation, steps, i + 1, restOn));
    }

    private final class Output {
        /** Per output: a working LED must not make a dead buzzer's failure be logged again on every alert. */
        private boolean failing;
        final String name;
        final DigitalOutput pin;
        Scheduler.Cancellable pending;
        /** Bumped by every cancel: steps of an earlier pattern see it and stop. */
        long generation;

        Output(String name, DigitalOutput pin) {
            this.name = name;
            this.pin = Objects.requireNonNull(pin, name);
        }

        void cancel() {
            generation++;
            if (pending != null) {
                pending.cancel();
                pending = null;
            }
        }

        void set(boolean on) {
            try {
                if (on) {
                    pin.high();
                } else {
                    pin.low();
                }
                failing = false;
            } catch (RuntimeException e) {
                if (!failing) {
                    problemLog.accept("GPIO " + name + " (BCM " + pin.address() + ") failed, counting continues: "
                            + e.getMessage());
                    failing = true;
                }
            }
        }
    }
}
