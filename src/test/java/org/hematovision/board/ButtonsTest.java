package org.hematovision.board;

import static com.pi4j.io.gpio.digital.DigitalState.HIGH;
import static com.pi4j.io.gpio.digital.DigitalState.LOW;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pi4j.context.Context;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Buttons opened through {@link Board} on Pi4J's mock provider; presses are made with
 * {@link MockDigitalInput#mockState}, so they travel Pi4J's listener path like a real edge.
 * Active low: idle HIGH (pull-up), pressed LOW.
 */
class ButtonsTest {

    private final ManualScheduler clock = new ManualScheduler();
    private final RecordingControl control = new RecordingControl();
    private Context pi4j;
    private Board board;
    private MockDigitalInput newSample;
    private MockDigitalInput finish;

    @BeforeEach
    void open() {
        pi4j = BoardContexts.mock();
        BoardConfig config = new BoardConfig(true, 17, 22, 13, 5, 6, 30, 3000, true);
        board = Board.open(config, pi4j, control, clock);
        newSample = pi4j.registry().get(Board.NEW_SAMPLE_ID);
        finish = pi4j.registry().get(Board.FINISH_ID);
        newSample.mockState(HIGH);
        finish.mockState(HIGH);
        clock.advance(100);
    }

    @AfterEach
    void close() {
        board.close();
        pi4j.shutdown();
    }

    /** Presses with contact bounce on both edges, holding for {@code holdMillis}. */
    private void bouncyPress(MockDigitalInput button, long holdMillis) {
        button.mockState(LOW);
        clock.advance(2);
        button.mockState(HIGH);
        clock.advance(3);
        button.mockState(LOW);
        clock.advance(holdMillis);
        button.mockState(HIGH);
        clock.advance(2);
        button.mockState(LOW);
        clock.advance(1);
        button.mockState(HIGH);
        clock.advance(100);
    }

    @Test
    void bouncyPressesStartAndFinishASampleExactlyOnce() {
        bouncyPress(newSample, 200);
        assertEquals(List.of("new"), control.calls);
        bouncyPress(finish, 200);
        assertEquals(List.of("new", "finish"), control.calls);
    }

    @Test
    void aSettleTaskAlreadyTakenByTheTimerDoesNotActOnAnUndebouncedLevel() {
        newSample.mockState(LOW); // pressed
        Runnable stale = clock.takeDue(30); // its settle task is due; the timer thread has it, waiting for the lock
        newSample.mockState(HIGH); // a bounce arrives first: the press (held 30 ms) is taken, a new settle starts
        stale.run(); // the old task runs late: the HIGH level has not been debounced
        assertEquals(List.of(), control.calls, "no release from a bounce");
        newSample.mockState(LOW); // the bounce ends; the button is still held
        clock.advance(200);
        newSample.mockState(HIGH); // released
        clock.advance(100);
        assertEquals(List.of("new"), control.calls);
    }

    @Test
    void aGlitchShorterThanTheDebounceTimeIsNoPress() {
        newSample.mockState(LOW);
        clock.advance(10);
        newSample.mockState(HIGH);
        clock.advance(500);
        assertEquals(List.of(), control.calls);
    }

    @Test
    void shortPressActsOnReleaseNotOnPress() {
        newSample.mockState(LOW);
        clock.advance(1000);
        assertEquals(List.of(), control.calls, "still held: could become a long press");
        newSample.mockState(HIGH);
        clock.advance(30);
        assertEquals(List.of("new"), control.calls);
    }

    @Test
    void longPressRequestsShutdownOnceAndNothingElse() {
        finish.mockState(LOW);
        clock.advance(2999);
        assertEquals(List.of(), control.calls);
        clock.advance(1);
        assertEquals(List.of("shutdown"), control.calls);
        clock.advance(5000);
        finish.mockState(HIGH);
        clock.advance(100);
        bouncyPress(newSample, 4000);
        assertEquals(List.of("shutdown"), control.calls, "one shutdown, no finish or new sample from long presses");
    }

    @Test
    void finishAcknowledgesAHeldAlertBeforeItFinishes() {
        board.outputs().alert(org.hematovision.display.AlertFixtures.abnormal());
        bouncyPress(finish, 200);
        assertEquals(List.of(), control.calls, "first press acknowledged the alert");
        bouncyPress(finish, 200);
        assertEquals(List.of("finish"), control.calls);
    }

    @Test
    void closedButtonsIgnorePresses() {
        board.close();
        bouncyPress(newSample, 200);
        assertEquals(List.of(), control.calls);
    }

    @Test
    void aShortPressIsNotLostWhileTheTimerThreadIsBusy() {
        // pressed for 150 ms while the timer thread is stalled (an fsync, a PNG write): the check due
        // 30 ms after the press has not run when the release comes
        newSample.mockState(LOW);
        clock.stall(150);
        newSample.mockState(HIGH);
        clock.advance(100);
        assertEquals(List.of("new"), control.calls);
    }
}
