package org.hematovision.board;

import java.util.Map;
import java.util.Set;
import org.hematovision.config.ConfigException;
import org.hematovision.display.DisplayConfig;

/**
 * The {@code board.} section: LEDs, buzzer and buttons on the GPIO header (BCM numbers), validated once.
 *
 * @param enabled            drive the GPIO at all (off on a development machine without a header)
 * @param redLedPin          red LED: abnormal cell, target reached
 * @param greenLedPin        green LED: field captured
 * @param buzzerPin          active buzzer (on while high)
 * @param newSampleButtonPin "new sample" button
 * @param finishButtonPin    "finish/acknowledge" button
 * @param debounceMillis     a button state counts once it has held this long
 * @param longPressMillis    holding a button this long means "stop the appliance safely"
 * @param buttonsActiveLow   buttons switch to ground with the internal pull-up (true) or to 3V3 with pull-down
 */
public record BoardConfig(boolean enabled, int redLedPin, int greenLedPin, int buzzerPin, int newSampleButtonPin,
                          int finishButtonPin, int debounceMillis, int longPressMillis, boolean buttonsActiveLow) {

    public static final boolean DEFAULT_ENABLED = false;
    public static final int DEFAULT_RED_LED_PIN = 17;
    public static final int DEFAULT_GREEN_LED_PIN = 22;
    public static final int DEFAULT_BUZZER_PIN = 13;
    public static final int DEFAULT_NEW_SAMPLE_BUTTON_PIN = 5;
    public static final int DEFAULT_FINISH_BUTTON_PIN = 6;
    public static final int DEFAULT_DEBOUNCE_MILLIS = 30;
    public static final int DEFAULT_LONG_PRESS_MILLIS = 3000;
    public static final boolean DEFAULT_BUTTONS_ACTIVE_LOW = true;

    public static final String ENABLED = "board.enabled";
    public static final String RED_LED = "board.led.red";
    public static final String GREEN_LED = "board.led.green";
    public static final String BUZZER = "board.buzzer";
    public static final String NEW_SAMPLE_BUTTON = "board.button.newSample";
    public static final String FINISH_BUTTON = "board.button.finish";
    public static final String DEBOUNCE = "board.button.debounceMillis";
    public static final String LONG_PRESS = "board.button.longPressMillis";
    public static final String ACTIVE_LOW = "board.button.activeLow";
    public static final Set<String> KEYS = Set.of(ENABLED, RED_LED, GREEN_LED, BUZZER, NEW_SAMPLE_BUTTON,
            FINISH_BUTTON, DEBOUNCE, LONG_PRESS, ACTIVE_LOW);

    public static final BoardConfig DEFAULTS = new BoardConfig(DEFAULT_ENABLED, DEFAULT_RED_LED_PIN,
            DEFAULT_GREEN_LED_PIN, DEFAULT_BUZZER_PIN, DEFAULT_NEW_SAMPLE_BUTTON_PIN, DEFAULT_FINISH_BUTTON_PIN,
            DEFAULT_DEBOUNCE_MILLIS, DEFAULT_LONG_PRESS_MILLIS, DEFAULT_BUTTONS_ACTIVE_LOW);

    public BoardConfig {
        Pins.requirePin(RED_LED, redLedPin, false);
        Pins.requirePin(GREEN_LED, greenLedPin, false);
        Pins.requirePin(BUZZER, buzzerPin, false);
        Pins.requirePin(NEW_SAMPLE_BUTTON, newSampleButtonPin, false);
        Pins.requirePin(FINISH_BUTTON, finishButtonPin, false);
        Pins.requireDistinct(pins(redLedPin, greenLedPin, buzzerPin, newSampleButtonPin, finishButtonPin));
        ConfigException.requireRange(DEBOUNCE, debounceMillis, 1, 1000);
        ConfigException.requireRange(LONG_PRESS, longPressMillis, 500, 60_000);
        if (longPressMillis <= debounceMillis) {
            throw new ConfigException(LONG_PRESS, longPressMillis + " must exceed " + DEBOUNCE + " ("
                    + debounceMillis + ")");
        }
    }

    private static Map<String, Integer> pins(int red, int green, int buzzer, int newSample, int finish) {
        return Pins.ordered(RED_LED, red, GREEN_LED, green, BUZZER, buzzer, NEW_SAMPLE_BUTTON, newSample,
                FINISH_BUTTON, finish);
    }

    /** The pins by key, in config order. */
    public Map<String, Integer> pinsByKey() {
        return pins(redLedPin, greenLedPin, buzzerPin, newSampleButtonPin, finishButtonPin);
    }

    /** Reads the {@code board.*} keys of {@code values}; absent keys take the defaults, unknown ones throw. */
    public static BoardConfig from(Map<String, String> values) {
        Pins.requireKnown(values, "board.", KEYS);
        return new BoardConfig(
                Pins.boolValue(values, ENABLED, DEFAULT_ENABLED),
                Pins.intValue(values, RED_LED, DEFAULT_RED_LED_PIN),
                Pins.intValue(values, GREEN_LED, DEFAULT_GREEN_LED_PIN),
                Pins.intValue(values, BUZZER, DEFAULT_BUZZER_PIN),
                Pins.intValue(values, NEW_SAMPLE_BUTTON, DEFAULT_NEW_SAMPLE_BUTTON_PIN),
                Pins.intValue(values, FINISH_BUTTON, DEFAULT_FINISH_BUTTON_PIN),
                Pins.intValue(values, DEBOUNCE, DEFAULT_DEBOUNCE_MILLIS),
                Pins.intValue(values, LONG_PRESS, DEFAULT_LONG_PRESS_MILLIS),
                Pins.boolValue(values, ACTIVE_LOW, DEFAULT_BUTTONS_ACTIVE_LOW));
    }

    /**
     * Throws when this section and the display's pins collide: the same pin twice, or a board pin on the
     * bus the panel uses. Call once at start-up with both sections (only when the board is enabled).
     */
    public void requireCompatible(DisplayConfig display) {
        if (!enabled) {
            return;
        }
        Map<String, Integer> all = new java.util.LinkedHashMap<>(display.pinsByKey());
        all.putAll(pinsByKey());
        Pins.requireDistinct(all);
        if (display.type().usesI2c() && display.i2cBus() == 1) {
            Pins.requireOffBus(pinsByKey(), Pins.I2C1_PINS, "I2C-1");
        }
        if (display.type().usesSpi()) {
            Pins.requireOffBus(pinsByKey(), Pins.spiPins(display.spiBus()), "SPI-" + display.spiBus());
        }
    }
}
