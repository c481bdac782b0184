package org.hematovision.display;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.i2c.I2C;
import com.pi4j.io.spi.Spi;
import com.pi4j.io.spi.SpiChipSelect;
import com.pi4j.io.spi.SpiMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.hematovision.board.Pins;
import org.hematovision.board.Scheduler;
import org.tinylog.Logger;

/**
 * Opens the display the configuration names. The Pi4J context is asked for only when a panel on the
 * board's buses is configured, so the PNG display runs on any machine.
 */
public final class Displays {

    /** Pi4J ids of the display's I/O. */
    public static final String I2C_ID = "display-i2c";
    public static final String SPI_ID = "display-spi";
    public static final String DC_ID = "display-dc";
    public static final String RESET_ID = "display-reset";
    public static final String BACKLIGHT_ID = "display-backlight";

    private Displays() {
    }

    /**
     * The configured display, or empty for {@code display.type=none}.
     *
     * @throws DisplayException when the panel cannot be opened or initialised (the reason in the message)
     */
    public static Optional<Display> open(DisplayConfig config, Supplier<Context> pi4j, Scheduler scheduler) {
        return open(config, pi4j, scheduler, Displays::sleep);
    }

    /**
     * Like {@link #open}, but a panel that cannot be opened is logged once with the reason and replaced by
     * the PNG virtual display of the same size at {@code display.png.path}, so the screen stays visible
     * remotely and the appliance keeps counting.
     */
    public static Optional<Display> openOrVirtual(DisplayConfig config, Supplier<Context> pi4j, Scheduler scheduler) {
        try {
            return open(config, pi4j, scheduler);
        } catch (DisplayException e) {
            PanelSpec size = switch (config.type()) {
                case SSD1306 -> PanelSpec.MONO_128X64;
                case ST7789 -> PanelSpec.COLOUR_240X240;
                default -> config.pngPanel();
            };
            Logger.error("Display {} unavailable, showing the screen in {} instead: {}", config.type().configName(),
                    config.pngPath(), e.getMessage());
            return Optional.of(new PngDisplay(config.pngPath(), size, config.pngIntervalMillis(), scheduler));
        }
    }

    static Optional<Display> open(DisplayConfig config, Supplier<Context> pi4j, Scheduler scheduler,
                                  LongConsumer sleeper) {
        return switch (config.type()) {
            case NONE -> Optional.empty();
            case PNG -> Optional.of(new PngDisplay(config.pngPath(), config.pngPanel(), config.pngIntervalMillis(),
                    scheduler));
            case SSD1306 -> Optional.of(ssd1306(config, context(pi4j)));
            case ST7789 -> Optional.of(tft(config, context(pi4j), St7789Display.Controller.ST7789, sleeper));
            case ILI9341 -> Optional.of(tft(config, context(pi4j), St7789Display.Controller.ILI9341, sleeper));
        };
    }

    private static Context context(Supplier<Context> pi4j) {
        try {
            return pi4j.get();
        } catch (RuntimeException e) {
            throw new DisplayException("Pi4J could not start: " + e.getMessage(), e);
        }
    }

    private static Display ssd1306(DisplayConfig c, Context pi4j) {
        I2C i2c;
        List<String> created = new ArrayList<>(List.of(I2C_ID));
        try {
            i2c = pi4j.create(I2C.newConfigBuilder(pi4j).id(I2C_ID).name(I2C_ID).bus(c.i2cBus()).device(c.i2cAddress()));
        } catch (RuntimeException e) {
            throw new DisplayException(String.format("cannot open /dev/i2c-%d for the SSD1306 at 0x%02x: %s "
                    + "(is dtparam=i2c_arm=on set and the user in group i2c?)", c.i2cBus(), c.i2cAddress(),
                    e.getMessage()), e);
        }
        try {
            return new Ssd1306Display(i2c, c.rotation());
        } catch (RuntimeException e) {
            release(pi4j, created);
            throw e;
        }
    }

    private static Display tft(DisplayConfig c, Context pi4j, St7789Display.Controller controller,
                               LongConsumer sleeper) {
        Spi spi = null;
        DigitalOutput dc;
        DigitalOutput reset;
        DigitalOutput backlight;
        List<String> created = new ArrayList<>();
        try {
            created.add(SPI_ID);
            spi = pi4j.create(Spi.newConfigBuilder(pi4j).id(SPI_ID).name(SPI_ID).bus(c.spiBus())
                    .chipSelect(SpiChipSelect.getByNumber(c.spiChipSelect())).channel(c.spiChipSelect())
                    .mode(SpiMode.getByNumber(c.spiMode())).baud(c.spiSpeedHz()));
            dc = pin(pi4j, created, DC_ID, c.dcPin(), DigitalState.LOW);
            reset = c.resetPin() == Pins.NONE ? null : pin(pi4j, created, RESET_ID, c.resetPin(), DigitalState.HIGH);
            // shutdown state high: the last screen ("stopped") stays readable after the service exits
            backlight = c.backlightPin() == Pins.NONE ? null
                    : pin(pi4j, created, BACKLIGHT_ID, c.backlightPin(), DigitalState.HIGH);
        } catch (RuntimeException e) {
            closeQuietly(spi);
            release(pi4j, created);
            throw new DisplayException(String.format("cannot open /dev/spidev%d.%d or the DC/reset/backlight pins "
                    + "for the %s: %s (is dtparam=spi=on set and the user in groups spi and gpio?)", c.spiBus(),
                    c.spiChipSelect(), controller, e.getMessage()), e);
        }
        try {
            return new St7789Display(spi, dc, reset, backlight, controller, c.rotation(), sleeper);
        } catch (RuntimeException e) {
            closeQuietly(spi);
            release(pi4j, created);
            throw e;
        }
    }

    /**
     * Closes the SPI device itself: Pi4J's {@code shutdown(id)} leaves a Linux-fs SPI device open (its SPI
     * base class has no shutdown of its own), so a panel that fails to start would keep /dev/spidevB.C.
     */
    private static void closeQuietly(Spi spi) {
        if (spi == null) {
            return;
        }
        try {
            spi.close();
        } catch (RuntimeException ignored) {
            // the original failure is what gets reported
        }
    }

    /** Releases what was opened before a failure, so a retry or the board's pins can have them. */
    private static void release(Context pi4j, List<String> ids) {
        for (String id : ids) {
            try {
                if (pi4j.registry().exists(id)) {
                    pi4j.shutdown(id);
                }
            } catch (RuntimeException ignored) {
                // the original failure is what gets reported
            }
        }
    }

    private static DigitalOutput pin(Context pi4j, List<String> created, String id, int bcm, DigitalState shutdown) {
        created.add(id);
        return pi4j.create(DigitalOutput.newConfigBuilder(pi4j).id(id).name(id).address(bcm)
                .initial(DigitalState.LOW).shutdown(shutdown));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DisplayException("interrupted while the panel was initialising", e);
        }
    }
}
