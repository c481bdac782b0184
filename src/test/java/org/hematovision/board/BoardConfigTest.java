package org.hematovision.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.hematovision.config.ConfigException;
import org.hematovision.display.DisplayConfig;
import org.junit.jupiter.api.Test;

class BoardConfigTest {

    private static ConfigException bad(Map<String, String> values) {
        return assertThrows(ConfigException.class, () -> BoardConfig.from(values));
    }

    @Test
    void defaultsWhenNothingIsGiven() {
        assertEquals(BoardConfig.DEFAULTS, BoardConfig.from(Map.of()));
    }

    @Test
    void readsEveryKey() {
        BoardConfig c = BoardConfig.from(Map.of("board.enabled", "true", "board.led.red", "26", "board.led.green", "19",
                "board.buzzer", "12", "board.button.newSample", "20", "board.button.finish", "21",
                "board.button.debounceMillis", "50", "board.button.longPressMillis", "2000", "board.button.activeLow", "false"));
        assertEquals(new BoardConfig(true, 26, 19, 12, 20, 21, 50, 2000, false), c);
    }

    @Test
    void pinOutsideTheHeaderNamesTheKeyAndTheRange() {
        ConfigException e = bad(Map.of("board.led.red", "28"));
        assertEquals("board.led.red", e.key());
        assertTrue(e.getMessage().contains("BCM 0..27"), e.getMessage());
    }

    @Test
    void duplicatePinNamesBothKeys() {
        ConfigException e = bad(Map.of("board.button.finish", "17"));
        assertEquals("board.button.finish", e.key());
        assertTrue(e.getMessage().contains("board.led.red"), e.getMessage());
    }

    @Test
    void badValuesAndUnknownKeys() {
        assertEquals("board.buzzer", bad(Map.of("board.buzzer", "x")).key());
        assertEquals("board.enabled", bad(Map.of("board.enabled", "maybe")).key());
        assertEquals("board.button.longPressMillis", bad(Map.of("board.button.longPressMillis", "100")).key());
        assertEquals("board.button.debounceMillis", bad(Map.of("board.button.debounceMillis", "0")).key());
        ConfigException unknown = bad(Map.of("board.led.blue", "4"));
        assertEquals("board.led.blue", unknown.key());
        assertTrue(unknown.getMessage().contains("board.led.red"), unknown.getMessage());
    }

    @Test
    void boardPinsMustNotCollideWithTheDisplay() {
        DisplayConfig tft = DisplayConfig.from(Map.of("display.type", "st7789"));
        BoardConfig clash = BoardConfig.from(Map.of("board.enabled", "true", "board.led.red", "25"));
        ConfigException e = assertThrows(ConfigException.class, () -> clash.requireCompatible(tft));
        assertEquals("board.led.red", e.key());
        assertTrue(e.getMessage().contains("display.pin.dc"), e.getMessage());

        BoardConfig onSpi = BoardConfig.from(Map.of("board.enabled", "true", "board.buzzer", "10"));
        assertEquals("board.buzzer", assertThrows(ConfigException.class, () -> onSpi.requireCompatible(tft)).key());

        DisplayConfig oled = DisplayConfig.from(Map.of("display.type", "ssd1306"));
        BoardConfig onI2c = BoardConfig.from(Map.of("board.enabled", "true", "board.led.green", "3"));
        assertEquals("board.led.green", assertThrows(ConfigException.class, () -> onI2c.requireCompatible(oled)).key());
        BoardConfig.from(Map.of("board.enabled", "true")).requireCompatible(tft);
        BoardConfig.from(Map.of("board.enabled", "true")).requireCompatible(oled);
    }
}
