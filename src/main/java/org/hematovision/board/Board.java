package org.hematovision.board;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.hematovision.sample.SampleControl;
import org.tinylog.Logger;

/**
 * LEDs, buzzer and buttons opened from a {@link BoardConfig}. Register {@link #outputs()} as a sample
 * listener; the buttons call the given control, the finish button acknowledging held alerts first.
 * Closing puts the outputs in their safe state (off) and releases the pins.
 */
public final class Board implements AutoCloseable {

    /** Pi4J ids of the pins, as they appear in Pi4J's registry and logs. */
    public static final String RED_LED_ID = "board-led-red";
    public static final String GREEN_LED_ID = "board-led-green";
    public static final String BUZZER_ID = "board-buzzer";
    public static final String NEW_SAMPLE_ID = "board-button-new-sample";
    public static final String FINISH_ID = "board-button-finish";

    private final AlertOutputs outputs;
    private final Buttons buttons;

    private Board(AlertOutputs outputs, Buttons buttons) {
        this.outputs = outputs;
        this.buttons = buttons;
    }

    /**
     * Opens the pins on {@code pi4j}.
     *
     * @param alsoHolding other holders of alerts (the display) released by the finish/acknowledge button
     * @throws BoardException when a pin cannot be opened; nothing stays open then
     */
    public static Board open(BoardConfig config, Context pi4j, SampleControl control, Scheduler scheduler,
                             Acknowledgeable... alsoHolding) {
        List<String> created = new ArrayList<>();
        try {
            DigitalOutput red = output(pi4j, created, RED_LED_ID, config.redLedPin());
            DigitalOutput green = output(pi4j, created, GREEN_LED_ID, config.greenLedPin());
            DigitalOutput buzzer = output(pi4j, created, BUZZER_ID, config.buzzerPin());
            PullResistance pull = config.buttonsActiveLow() ? PullResistance.PULL_UP : PullResistance.PULL_DOWN;
            DigitalInput newSample = input(pi4j, created, NEW_SAMPLE_ID, config.newSampleButtonPin(), pull);
            DigitalInput finish = input(pi4j, created, FINISH_ID, config.finishButtonPin(), pull);
            AlertOutputs outputs = new AlertOutputs(red, green, buzzer, scheduler);
            List<Acknowledgeable> holders = new ArrayList<>(List.of(alsoHolding));
            holders.add(outputs);
            Buttons buttons = new Buttons(newSample, finish, new AcknowledgingControl(control, holders), scheduler,
                    config.debounceMillis(), config.longPressMillis(), config.buttonsActiveLow());
            return new Board(outputs, buttons);
        } catch (RuntimeException e) {
            for (String id : created) {
                try {
                    if (pi4j.registry().exists(id)) {
                        pi4j.shutdown(id);
                    }
                } catch (RuntimeException ignored) {
                    // releasing what was opened before the failure; the failure itself is reported below
                }
            }
            throw new BoardException("cannot open the board's GPIO (" + e.getMessage() + "); check that "
                    + "/dev/gpiochip* exists and the service user is in group gpio", e);
        }
    }

    /** Like {@link #open}, but a failure is logged once with its reason and the appliance runs without the board. */
    public static Optional<Board> tryOpen(BoardConfig config, Supplier<Context> pi4j, SampleControl control,
                                          Scheduler scheduler, Acknowledgeable... alsoHolding) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        try {
            Context context;
            try {
                context = pi4j.get();
            } catch (RuntimeException e) {
                throw new BoardException("Pi4J could not start: " + e.getMessage(), e);
            }
            return Optional.of(open(config, context, control, scheduler, alsoHolding));
        } catch (BoardException e) {
            Logger.error("Board I/O off: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private static DigitalOutput output(Context pi4j, List<String> created, String id, int pin) {
        created.add(id);
        return pi4j.create(DigitalOutput.newConfigBuilder(pi4j).id(id).name(id).address(pin)
                .initial(DigitalState.LOW).shutdown(DigitalState.LOW));
    }

    private static DigitalInput input(Context pi4j, List<String> created, String id, int pin, PullResistance pull) {
        created.add(id);
        // debouncing is ours (Buttons), so a mock and a real chip behave the same
        return pi4j.create(DigitalInput.newConfigBuilder(pi4j).id(id).name(id).address(pin).pull(pull)
                .debounce(0L));
    }

    /** The LEDs and buzzer: add to the sample's listeners. */
    public AlertOutputs outputs() {
        return outputs;
    }

    /** Buttons stop, then LEDs and buzzer off. The Pi4J context is the caller's to shut down. */
    @Override
    public void close() {
        buttons.close();
        outputs.close();
    }
}
