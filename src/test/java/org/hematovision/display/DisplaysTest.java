package org.hematovision.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.i2c.I2C;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hematovision.board.BoardContexts;
import org.hematovision.board.ManualScheduler;
import org.hematovision.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DisplaysTest {

    @TempDir
    Path dir;

    private final ManualScheduler clock = new ManualScheduler();

    @Test
    void pngAndNoneNeedNoPi4J() {
        DisplayConfig png = DisplayConfig.from(Map.of("display.png.path", dir.resolve("d.png").toString(),
                "display.png.size", "240x240"));
        Display d = Displays.open(png, () -> {
            throw new AssertionError("Pi4J must not be started for the PNG display");
        }, clock).orElseThrow();
        assertInstanceOf(PngDisplay.class, d);
        assertEquals(PanelSpec.COLOUR_240X240, d.panel());
        assertTrue(Displays.open(DisplayConfig.from(Map.of("display.type", "none")), null, clock).isEmpty());
    }

    @Test
    void ssd1306OpensTheConfiguredBusAndAddress() {
        Context pi4j = BoardContexts.mock();
        try {
            DisplayConfig c = DisplayConfig.from(Map.of("display.type", "ssd1306", "display.i2c.bus", "1",
                    "display.i2c.address", "0x3d"));
            Display d = Displays.open(c, () -> pi4j, clock).orElseThrow();
            I2C i2c = pi4j.registry().get(Displays.I2C_ID);
            assertEquals(1, i2c.bus());
            assertEquals(0x3D, i2c.device());
            assertEquals("ssd1306 i2c-1@0x3d", d.describe());
        } finally {
            pi4j.shutdown();
        }
    }

    @Test
    void tftOpensItsPinsFromConfig() {
        Context pi4j = BoardContexts.mock();
        try {
            DisplayConfig c = DisplayConfig.from(Map.of("display.type", "ili9341", "display.rotation", "90",
                    "display.pin.dc", "23", "display.pin.reset", "-1"));
            List<Long> sleeps = new ArrayList<>();
            Display d = Displays.open(c, () -> pi4j, clock, sleeps::add).orElseThrow();
            assertEquals(PanelSpec.COLOUR_320X240, d.panel());
            assertEquals(23, pi4j.registry().get(Displays.DC_ID, DigitalOutput.class).address());
            assertTrue(!pi4j.registry().exists(Displays.RESET_ID), "reset not connected");
            assertEquals(18, pi4j.registry().get(Displays.BACKLIGHT_ID, DigitalOutput.class).address());
        } finally {
            pi4j.shutdown();
        }
    }

    @Test
    void missingBoardFallsBackToTheVirtualDisplayOfTheSameSize() {
        DisplayConfig c = DisplayConfig.from(Map.of("display.type", "st7789",
                "display.png.path", dir.resolve("d.png").toString()));
        DisplayException e = assertThrows(DisplayException.class, () -> Displays.open(c, () -> {
            throw new IllegalStateException("no /dev/gpiochip0");
        }, clock));
        assertTrue(e.getMessage().contains("no /dev/gpiochip0"), e.getMessage());
        Optional<Display> d = Displays.openOrVirtual(c, () -> {
            throw new IllegalStateException("no /dev/gpiochip0");
        }, clock);
        assertInstanceOf(PngDisplay.class, d.orElseThrow());
        assertEquals(PanelSpec.COLOUR_240X240, d.get().panel());
    }

    @Test
    void configErrorsNameTheKeyAndTheAllowedValues() {
        ConfigException type = assertThrows(ConfigException.class, () -> DisplayConfig.from(Map.of("display.type", "lcd")));
        assertEquals("display.type", type.key());
        assertTrue(type.getMessage().contains("png, ssd1306, st7789, ili9341, none"), type.getMessage());
        assertEquals("display.i2c.address",
                assertThrows(ConfigException.class, () -> DisplayConfig.from(Map.of("display.i2c.address", "0x80"))).key());
        assertEquals("display.rotation", assertThrows(ConfigException.class,
                () -> DisplayConfig.from(Map.of("display.type", "ssd1306", "display.rotation", "90"))).key());
        assertEquals("display.pin.dc", assertThrows(ConfigException.class,
                () -> DisplayConfig.from(Map.of("display.type", "st7789", "display.pin.dc", "10"))).key());
        assertEquals("display.pin.backlight", assertThrows(ConfigException.class,
                () -> DisplayConfig.from(Map.of("display.type", "st7789", "display.pin.backlight", "25"))).key());
        // on SPI-1 the default backlight pin (BCM 18) is that bus's CE0
        assertEquals("display.pin.backlight", assertThrows(ConfigException.class,
                () -> DisplayConfig.from(Map.of("display.type", "st7789", "display.spi.bus", "1"))).key());
        // buses whose header pins the clash checks do not know: i2c-3's default pins BCM 4/5 hold the
        // new-sample button, spi6's BCM 18-21 the backlight
        assertEquals("display.i2c.bus", assertThrows(ConfigException.class,
                () -> DisplayConfig.from(Map.of("display.type", "ssd1306", "display.i2c.bus", "3"))).key());
        assertEquals("display.spi.bus", assertThrows(ConfigException.class,
                () -> DisplayConfig.from(Map.of("display.type", "st7789", "display.spi.bus", "6"))).key());
        assertEquals("display.png.size",
                assertThrows(ConfigException.class, () -> DisplayConfig.from(Map.of("display.png.size", "800x480"))).key());
        assertEquals("display.spi.speedHz",
                assertThrows(ConfigException.class, () -> DisplayConfig.from(Map.of("display.spi.speedHz", "1e6"))).key());
        assertEquals("display.colour",
                assertThrows(ConfigException.class, () -> DisplayConfig.from(Map.of("display.colour", "yes"))).key());
        assertEquals(DisplayConfig.DEFAULTS, DisplayConfig.from(Map.of()));
    }
}
