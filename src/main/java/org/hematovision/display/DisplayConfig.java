package org.hematovision.display;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.hematovision.board.Pins;
import org.hematovision.config.ConfigException;

/**
 * The {@code display.} section, validated once. Only the keys of the chosen {@code type} matter, but all
 * are checked so a typo fails at start-up, not when the panel is swapped.
 *
 * @param type           which display: {@code png | ssd1306 | st7789 | ili9341 | none}
 * @param pngPath        where the virtual display writes its PNG
 * @param pngPanel       size of the virtual display: {@code 320x240 | 240x240 | 128x64}
 * @param pngIntervalMillis minimum time between two PNG writes
 * @param i2cBus         SSD1306: I2C bus ({@code /dev/i2c-N})
 * @param i2cAddress     SSD1306: 7-bit address (0x3C or 0x3D on common modules)
 * @param spiBus         TFT: SPI bus ({@code /dev/spidevB.C})
 * @param spiChipSelect  TFT: chip select C
 * @param spiSpeedHz     TFT: SPI clock
 * @param spiMode        TFT: SPI mode 0..3 (modules without a CS pin usually need 3)
 * @param dcPin          TFT: data/command pin (BCM)
 * @param resetPin       TFT: reset pin (BCM), -1 when tied high
 * @param backlightPin   TFT: backlight pin (BCM), -1 when always on
 * @param rotation       degrees clockwise: 0, 90, 180, 270 (SSD1306: 0 or 180)
 */
public record DisplayConfig(Type type, Path pngPath, PanelSpec pngPanel, int pngIntervalMillis, int i2cBus,
                            int i2cAddress, int spiBus, int spiChipSelect, int spiSpeedHz, int spiMode, int dcPin, int resetPin,
                            int backlightPin, int rotation) {

    /** The display kinds, by config name. */
    public enum Type {
        PNG, SSD1306, ST7789, ILI9341, NONE;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean usesI2c() {
            return this == SSD1306;
        }

        public boolean usesSpi() {
            return this == ST7789 || this == ILI9341;
        }

        static Type parse(String key, String value) {
            for (Type t : values()) {
                if (t.configName().equals(value.strip().toLowerCase(Locale.ROOT))) {
                    return t;
                }
            }
            throw new ConfigException(key, "\"" + value + "\" is not a display type (allowed: "
                    + Arrays.stream(values()).map(Type::configName).collect(Collectors.joining(", ")) + ")");
        }
    }

    public static final Type DEFAULT_TYPE = Type.PNG;
    public static final Path DEFAULT_PNG_PATH = Path.of("var", "display.png");
    public static final PanelSpec DEFAULT_PNG_PANEL = PanelSpec.COLOUR_320X240;
    public static final int DEFAULT_PNG_INTERVAL_MILLIS = (int) PngDisplay.DEFAULT_MIN_INTERVAL_MILLIS;
    public static final int DEFAULT_I2C_BUS = 1;
    public static final int DEFAULT_I2C_ADDRESS = 0x3C;
    public static final int DEFAULT_SPI_BUS = 0;
    public static final int DEFAULT_SPI_CHIP_SELECT = 0;
    public static final int DEFAULT_SPI_SPEED_HZ = 32_000_000;
    public static final int DEFAULT_SPI_MODE = 0;
    public static final int DEFAULT_DC_PIN = 25;
    public static final int DEFAULT_RESET_PIN = 24;
    public static final int DEFAULT_BACKLIGHT_PIN = 18;
    public static final int DEFAULT_ROTATION = 0;

    public static final String TYPE = "display.type";
    public static final String PNG_PATH = "display.png.path";
    public static final String PNG_SIZE = "display.png.size";
    public static final String PNG_INTERVAL = "display.png.intervalMillis";
    public static final String I2C_BUS = "display.i2c.bus";
    public static final String I2C_ADDRESS = "display.i2c.address";
    public static final String SPI_BUS = "display.spi.bus";
    public static final String SPI_CHIP_SELECT = "display.spi.chipSelect";
    public static final String SPI_SPEED = "display.spi.speedHz";
    public static final String SPI_MODE = "display.spi.mode";
    public static final String DC_PIN = "display.pin.dc";
    public static final String RESET_PIN = "display.pin.reset";
    public static final String BACKLIGHT_PIN = "display.pin.backlight";
    public static final String ROTATION = "display.rotation";
    public static final Set<String> KEYS = Set.of(TYPE, PNG_PATH, PNG_SIZE, PNG_INTERVAL, I2C_BUS, I2C_ADDRESS,
            SPI_BUS, SPI_CHIP_SELECT, SPI_SPEED, SPI_MODE, DC_PIN, RESET_PIN, BACKLIGHT_PIN, ROTATION);

    private static final Map<String, PanelSpec> PNG_SIZES = Map.of("320x240", PanelSpec.COLOUR_320X240,
            "240x240", PanelSpec.COLOUR_240X240, "128x64", PanelSpec.MONO_128X64);

    public static final DisplayConfig DEFAULTS = new DisplayConfig(DEFAULT_TYPE, DEFAULT_PNG_PATH, DEFAULT_PNG_PANEL,
            DEFAULT_PNG_INTERVAL_MILLIS, DEFAULT_I2C_BUS, DEFAULT_I2C_ADDRESS, DEFAULT_SPI_BUS,
            DEFAULT_SPI_CHIP_SELECT, DEFAULT_SPI_SPEED_HZ, DEFAULT_SPI_MODE, DEFAULT_DC_PIN, DEFAULT_RESET_PIN, DEFAULT_BACKLIGHT_PIN,
            DEFAULT_ROTATION);

    public DisplayConfig {
        if (type == null) {
            throw new ConfigException(TYPE, "missing (allowed: png, ssd1306, st7789, ili9341, none)");
        }
        if (pngPath == null || pngPath.toString().isBlank()) {
            throw new ConfigException(PNG_PATH, "missing (allowed: a file path, e.g. var/display.png)");
        }
        if (pngPanel == null || !PNG_SIZES.containsValue(pngPanel)) {
            throw new ConfigException(PNG_SIZE, pngPanel + " is not supported (allowed: " + PNG_SIZES.keySet() + ")");
        }
        ConfigException.requireRange(PNG_INTERVAL, pngIntervalMillis, 0, 60_000);
        // Only buses whose header pins are known here: on another bus (an i2c-N or spiN overlay) the board's
        // buttons, LEDs or buzzer could sit on the bus pins, and opening them as GPIO silently breaks the bus.
        if (i2cBus != 1) {
            throw new ConfigException(I2C_BUS, i2cBus + " is not supported (allowed: 1, the header's I2C pins BCM 2 and 3)");
        }
        if (i2cAddress < 0x03 || i2cAddress > 0x77) {
            throw new ConfigException(I2C_ADDRESS, String.format("0x%02x is not a 7-bit device address "
                    + "(allowed: 0x03..0x77; SSD1306 modules use 0x3c or 0x3d)", i2cAddress));
        }
        if (spiBus != 0 && spiBus != 1) {
            throw new ConfigException(SPI_BUS, spiBus + " is not supported (allowed: 0, BCM 7-11; 1, BCM 16-21)");
        }
        ConfigException.requireRange(SPI_CHIP_SELECT, spiChipSelect, 0, 2);
        ConfigException.requireRange(SPI_SPEED, spiSpeedHz, 500_000, 80_000_000);
        ConfigException.requireRange(SPI_MODE, spiMode, 0, 3);
        Pins.requirePin(DC_PIN, dcPin, false);
        Pins.requirePin(RESET_PIN, resetPin, true);
        Pins.requirePin(BACKLIGHT_PIN, backlightPin, true);
        if (rotation != 0 && rotation != 90 && rotation != 180 && rotation != 270) {
            throw new ConfigException(ROTATION, rotation + " is not a rotation (allowed: 0, 90, 180, 270)");
        }
        if (type == Type.SSD1306 && rotation != 0 && rotation != 180) {
            throw new ConfigException(ROTATION, rotation + " is not possible on an SSD1306 (allowed: 0, 180)");
        }
        if (type.usesSpi()) {
            Map<String, Integer> pins = Pins.ordered(DC_PIN, dcPin, RESET_PIN, resetPin, BACKLIGHT_PIN, backlightPin);
            Pins.requireDistinct(pins);
            Pins.requireOffBus(pins, Pins.spiPins(spiBus), "SPI-" + spiBus);
        }
    }

    /** The GPIO pins this display drives (none unless it is a TFT), by key. */
    public Map<String, Integer> pinsByKey() {
        return type.usesSpi() ? Pins.ordered(DC_PIN, dcPin, RESET_PIN, resetPin, BACKLIGHT_PIN, backlightPin) : Map.of();
    }

    /** Reads the {@code display.*} keys of {@code values}; absent keys take the defaults, unknown ones throw. */
    public static DisplayConfig from(Map<String, String> values) {
        Pins.requireKnown(values, "display.", KEYS);
        String size = values.getOrDefault(PNG_SIZE, "320x240").strip().toLowerCase(Locale.ROOT);
        PanelSpec panel = PNG_SIZES.get(size);
        if (panel == null) {
            throw new ConfigException(PNG_SIZE, "\"" + size + "\" is not supported (allowed: "
                    + new java.util.TreeSet<>(PNG_SIZES.keySet()) + ")");
        }
        String path = values.get(PNG_PATH);
        return new DisplayConfig(
                values.containsKey(TYPE) ? Type.parse(TYPE, values.get(TYPE)) : DEFAULT_TYPE,
                path == null ? DEFAULT_PNG_PATH : Path.of(path.strip()),
                panel,
                Pins.intValue(values, PNG_INTERVAL, DEFAULT_PNG_INTERVAL_MILLIS),
                Pins.intValue(values, I2C_BUS, DEFAULT_I2C_BUS),
                Pins.intValue(values, I2C_ADDRESS, DEFAULT_I2C_ADDRESS),
                Pins.intValue(values, SPI_BUS, DEFAULT_SPI_BUS),
                Pins.intValue(values, SPI_CHIP_SELECT, DEFAULT_SPI_CHIP_SELECT),
                Pins.intValue(values, SPI_SPEED, DEFAULT_SPI_SPEED_HZ),
                Pins.intValue(values, SPI_MODE, DEFAULT_SPI_MODE),
                Pins.intValue(values, DC_PIN, DEFAULT_DC_PIN),
                Pins.intValue(values, RESET_PIN, DEFAULT_RESET_PIN),
                Pins.intValue(values, BACKLIGHT_PIN, DEFAULT_BACKLIGHT_PIN),
                Pins.intValue(values, ROTATION, DEFAULT_ROTATION));
    }
}
