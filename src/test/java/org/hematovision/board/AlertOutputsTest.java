package org.hematovision.board;

import static com.pi4j.io.gpio.digital.DigitalState.HIGH;
import static com.pi4j.io.gpio.digital.DigitalState.LOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.exception.IOException;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalOutputConfig;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProviderImpl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hematovision.display.AlertFixtures;
import org.hematovision.sample.DifferentialSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** LED and buzzer patterns on Pi4J mock outputs, driven by a manual clock. */
class AlertOutputsTest {

    private final ManualScheduler clock = new ManualScheduler();
    private Context pi4j;

    @AfterEach
    void shutdown() {
        if (pi4j != null) {
            pi4j.shutdown();
        }
    }

    private DigitalOutput out(String id, int pin) {
        return pi4j.create(DigitalOutput.newConfigBuilder(pi4j).id(id).address(pin).initial(LOW).shutdown(LOW));
    }

    /** Pin states red, green, buzzer. */
    private static String states(DigitalOutput red, DigitalOutput green, DigitalOutput buzzer) {
        return s(red) + s(green) + s(buzzer);
    }

    private static String s(DigitalOutput o) {
        return o.state() == DigitalState.HIGH ? "1" : "0";
    }

    @Test
    void fieldBlinksGreenAbnormalHoldsRedAndBeepsThreeTimesUntilAcknowledged() {
        pi4j = BoardContexts.mock();
        DigitalOutput red = out("r", 17);
        DigitalOutput green = out("g", 22);
        DigitalOutput buzzer = out("b", 13);
        AlertOutputs alerts = new AlertOutputs(red, green, buzzer, clock);
        assertEquals("000", states(red, green, buzzer));

        alerts.fieldAnalysed(null, null);
        assertEquals("010", states(red, green, buzzer));
        clock.advance(119);
        assertEquals("010", states(red, green, buzzer));
        clock.advance(1);
        assertEquals("000", states(red, green, buzzer));

        alerts.alert(AlertFixtures.abnormal());
        // red steady; buzzer 150 on, 150 off, three times
        List<String> timeline = new ArrayList<>();
        for (int t = 0; t < 1000; t += 75) {
            timeline.add(states(red, green, buzzer));
            clock.advance(75);
        }
        assertEquals(List.of("101", "101", "100", "100", "101", "101", "100", "100", "101", "101",
                "100", "100", "100", "100"), timeline);
        assertTrue(alerts.acknowledge());
        assertEquals("000", states(red, green, buzzer));
        assertFalse(alerts.acknowledge());
    }

    @Test
    void reviewAlertsStayQuiet() {
        pi4j = BoardContexts.mock();
        DigitalOutput red = out("r", 17);
        DigitalOutput green = out("g", 22);
        DigitalOutput buzzer = out("b", 13);
        AlertOutputs alerts = new AlertOutputs(red, green, buzzer, clock);
        alerts.alert(AlertFixtures.review());
        assertEquals("000", states(red, green, buzzer));
        assertEquals(0, clock.pending());
    }

    @Test
    void targetReachedFlashesRedWithTwoLongBeepsThenRestoresAHeldAlert() {
        pi4j = BoardContexts.mock();
        DigitalOutput red = out("r", 17);
        DigitalOutput green = out("g", 22);
        DigitalOutput buzzer = out("b", 13);
        AlertOutputs alerts = new AlertOutputs(red, green, buzzer, clock);
        DifferentialSnapshot done = new DifferentialSnapshot("S", Map.of("neutrophil", 100), 100, 0, 0, 0, 0, 9, 100);
        alerts.sampleFinished(done, "target reached");
        assertEquals("101", states(red, green, buzzer));
        clock.advance(500);
        assertEquals("000", states(red, green, buzzer));
        clock.advance(250);
        assertEquals("101", states(red, green, buzzer));
        clock.advance(500);
        assertEquals("000", states(red, green, buzzer));

        DifferentialSnapshot operatorStop = new DifferentialSnapshot("S", Map.of("neutrophil", 40), 40, 0, 0, 0, 0, 4, 100);
        alerts.sampleFinished(operatorStop, "operator finish");
        assertEquals("000", states(red, green, buzzer), "no target pattern below the target");

        // 100 white cells of which 10 nucleated red cells: 90 leukocytes, short of the target of 100
        DifferentialSnapshot withNrbc = new DifferentialSnapshot("S", Map.of("neutrophil", 90, "erythroblast", 10), 100,
                0, 10, 0, 0, 9, 100);
        alerts.sampleFinished(withNrbc, "operator finish");
        assertEquals("000", states(red, green, buzzer), "nucleated red cells do not count towards the target");

        alerts.alert(AlertFixtures.abnormal());
        clock.advance(2000);
        alerts.sampleFinished(done, "target reached");
        clock.advance(2000);
        assertEquals("100", states(red, green, buzzer), "held abnormal alert keeps red on after the pattern");
    }

    @Test
    void closeLeavesEverythingOffAndStopsPatterns() {
        pi4j = BoardContexts.mock();
        DigitalOutput red = out("r", 17);
        DigitalOutput green = out("g", 22);
        DigitalOutput buzzer = out("b", 13);
        AlertOutputs alerts = new AlertOutputs(red, green, buzzer, clock);
        alerts.alert(AlertFixtures.abnormal());
        alerts.fieldAnalysed(null, null);
        alerts.close();
        assertEquals("000", states(red, green, buzzer));
        assertEquals(0, clock.pending());
        alerts.alert(AlertFixtures.abnormal());
        clock.advance(1000);
        assertEquals("000", states(red, green, buzzer));
    }

    /** A mock output provider whose pins fail like a GPIO line taken away (e.g. chip gone). */
    static final class FailingOutputs extends MockDigitalOutputProviderImpl {
        boolean fail;
        /** BCM lines that fail while {@code fail} is set; empty = every line. */
        java.util.Set<Integer> only = java.util.Set.of();

        @Override
        public DigitalOutput create(DigitalOutputConfig config) {
            MockDigitalOutput pin = new MockDigitalOutput(this, config) {
                @Override
                public DigitalOutput state(DigitalState state) {
                    if (fail && (only.isEmpty() || only.contains(config.address()))) {
                        throw new IOException("gpiochip0 line " + config.address() + ": No such device");
                    }
                    return super.state(state);
                }
            };
            context.registry().add(pin);
            return pin;
        }
    }

    @Test
    void gpioFailureIsLoggedOnceAndEventsKeepFlowing() {
        List<String> problems = new ArrayList<>();
        AlertOutputs alerts = alertsFailingOn(java.util.Set.of(), problems);
        assertTrue(problems.size() <= 3, "at most once per output: " + problems);
        assertEquals(problems.size(), problems.stream().map(p -> p.substring(0, p.indexOf(" failed"))).distinct().count(),
                "each output once: " + problems);
        assertTrue(problems.get(0).contains("No such device"), problems.get(0));
        assertTrue(alerts.acknowledge(), "alert state still kept while the pins fail");
    }

    @Test
    void aDeadBuzzerIsLoggedOnceWhileTheLedsWork() {
        List<String> problems = new ArrayList<>();
        alertsFailingOn(java.util.Set.of(13), problems);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("BCM 13"), problems.get(0));
    }

    /**
     * Outputs on BCM 17/22/13 whose {@code failing} lines (all when empty) fail; five fields with an abnormal
     * alert each are played, then the lines work again (so that the context shuts down cleanly).
     */
    private AlertOutputs alertsFailingOn(java.util.Set<Integer> failing, List<String> problems) {
        FailingOutputs provider = new FailingOutputs();
        pi4j = Pi4J.newContextBuilder().noAutoDetect().add(provider).build();
        AlertOutputs alerts = new AlertOutputs(out("r", 17), out("g", 22), out("b", 13), clock, problems::add);
        provider.only = failing;
        provider.fail = true;
        for (int i = 0; i < 5; i++) {
            alerts.fieldAnalysed(null, null);
            alerts.alert(AlertFixtures.abnormal());
            clock.advance(1000);
        }
        provider.fail = false;
        return alerts;
    }

    @Test
    void aStepAlreadyRunningWhenItsPatternIsCancelledDoesNotResumeIt() {
        pi4j = BoardContexts.mock();
        DigitalOutput red = out("r", 17);
        DigitalOutput green = out("g", 22);
        DigitalOutput buzzer = out("b", 13);
        // A timer whose steps cannot be cancelled: each one has already started and waits for the lock
        // while NEW SAMPLE cancels its pattern.
        Scheduler late = new Scheduler() {
            @Override
            public long nowMillis() {
                return clock.nowMillis();
            }

            @Override
            public Cancellable schedule(long delayMillis, Runnable task) {
                clock.schedule(delayMillis, task);
                return () -> { };
            }
        };
        AlertOutputs alerts = new AlertOutputs(red, green, buzzer, late);
        alerts.alert(AlertFixtures.abnormal());
        alerts.sampleFinished(new DifferentialSnapshot("S", Map.of("neutrophil", 100), 100, 0, 0, 0, 0, 9, 100), "target");
        alerts.sampleStarted("S-2", 100);
        assertEquals("000", states(red, green, buzzer));
        clock.advance(5_000);
        assertEquals("000", states(red, green, buzzer), "the old target pattern (red held on) came back");
    }
}
