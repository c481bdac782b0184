package org.hematovision.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BoardTest {

    private static final BoardConfig ENABLED = BoardConfig.from(Map.of("board.enabled", "true"));

    @Test
    void opensTheConfiguredPinsWithSafeLevelsAndClosesToOff() {
        Context pi4j = BoardContexts.mock();
        try {
            Board board = Board.open(ENABLED, pi4j, new RecordingControl(), new ManualScheduler());
            DigitalOutput red = pi4j.registry().get(Board.RED_LED_ID, DigitalOutput.class);
            DigitalInput button = pi4j.registry().get(Board.NEW_SAMPLE_ID, DigitalInput.class);
            assertEquals(17, red.address());
            assertEquals(DigitalState.LOW, red.config().shutdownState(), "Pi4J shutdown leaves the LED off");
            assertEquals(PullResistance.PULL_UP, button.pull());
            assertEquals(5, button.address());
            board.outputs().alert(org.hematovision.display.AlertFixtures.abnormal());
            assertEquals(DigitalState.HIGH, red.state());
            board.close();
            assertEquals(DigitalState.LOW, red.state());
            assertEquals(DigitalState.LOW, pi4j.registry().get(Board.BUZZER_ID, DigitalOutput.class).state());
        } finally {
            pi4j.shutdown();
        }
    }

    @Test
    void aPinThatCannotBeOpenedReleasesTheOthersAndTheApplianceRunsWithoutTheBoard() {
        // outputs can be opened, inputs cannot (no input provider): a half-present board
        Context pi4j = Pi4J.newContextBuilder().noAutoDetect().add(MockDigitalOutputProvider.newInstance()).build();
        try {
            BoardException e = assertThrows(BoardException.class,
                    () -> Board.open(ENABLED, pi4j, new RecordingControl(), new ManualScheduler()));
            assertTrue(e.getMessage().contains("group gpio"), e.getMessage());
            assertFalse(pi4j.registry().exists(Board.RED_LED_ID), "outputs opened before the failure released");
            assertTrue(Board.tryOpen(ENABLED, () -> pi4j, new RecordingControl(), new ManualScheduler()).isEmpty());
            assertTrue(Board.tryOpen(ENABLED, () -> {
                throw new IllegalStateException("no libgpiod");
            }, new RecordingControl(), new ManualScheduler()).isEmpty());
            assertTrue(Board.tryOpen(BoardConfig.DEFAULTS, () -> {
                throw new AssertionError("disabled board must not start Pi4J");
            }, new RecordingControl(), new ManualScheduler()).isEmpty());
        } finally {
            pi4j.shutdown();
        }
    }

    @Test
    void lazyContextStartsPi4JOnlyWhenAskedAndShutsItDownOnClose() {
        int[] made = {0};
        BoardContexts.Lazy lazy = new BoardContexts.Lazy(() -> {
            made[0]++;
            return BoardContexts.mock();
        });
        lazy.close();
        assertEquals(0, made[0], "never asked, never started");
        BoardContexts.Lazy used = new BoardContexts.Lazy(() -> {
            made[0]++;
            return BoardContexts.mock();
        });
        Context c = used.get();
        assertTrue(c == used.get());
        used.close();
        assertEquals(1, made[0]);
        assertTrue(c.isShutdown());
        assertThrows(IllegalStateException.class, used::get);
    }
}
