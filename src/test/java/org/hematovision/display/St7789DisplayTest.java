package org.hematovision.display;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.spi.Spi;
import com.pi4j.plugin.mock.provider.spi.MockSpi;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.hematovision.board.BoardContexts;
import org.hematovision.sample.DifferentialSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The TFT driver against Pi4J's mock SPI and GPIO. Every change of the DC pin hands the bytes the mock
 * SPI collected so far to a {@link PanelEmulator} as commands (DC low) or data (DC high), so the test sees
 * the byte stream exactly as the panel would.
 */
class St7789DisplayTest {

    private Context pi4j;
    private MockSpi spi;
    private DigitalOutput dc;
    private DigitalOutput reset;
    private DigitalOutput backlight;
    private final List<Long> sleeps = new ArrayList<>();
    private final List<String> resetLevels = new ArrayList<>();
    private boolean dataMode;
    private PanelEmulator panel;

    @BeforeEach
    void open() {
        pi4j = BoardContexts.mock();
        spi = (MockSpi) pi4j.<Spi>create(Spi.newConfigBuilder(pi4j).id("tft").bus(0).channel(0).baud(32_000_000));
        dc = pi4j.create(DigitalOutput.newConfigBuilder(pi4j).id("dc").address(25).initial(DigitalState.LOW));
        reset = pi4j.create(DigitalOutput.newConfigBuilder(pi4j).id("rst").address(24).initial(DigitalState.HIGH));
        backlight = pi4j.create(DigitalOutput.newConfigBuilder(pi4j).id("bl").address(18).initial(DigitalState.LOW));
        dc.addListener(e -> {
            drain();
            dataMode = e.state() == DigitalState.HIGH;
        });
        reset.addListener(e -> resetLevels.add(e.state().name()));
    }

    @AfterEach
    void close() {
        pi4j.shutdown();
    }

    private void drain() {
        byte[] bytes = spi.readEntireMockBuffer();
        if (bytes.length > 0) {
            panel.receive(dataMode, bytes);
        }
    }

    private St7789Display tft(St7789Display.Controller controller, int rotation, int w, int h) {
        panel = new PanelEmulator(w, h);
        return new St7789Display(spi, dc, reset, backlight, controller, rotation, sleeps::add);
    }

    private static BufferedImage screen(PanelSpec spec, int whiteCells) {
        DifferentialSnapshot d = ScreenFixtures.running();
        CapturingDisplay capture = new CapturingDisplay(spec);
        DisplayController c = new DisplayController(capture, new ScreenRenderer(), Runnable::run);
        c.sampleStarted(ScreenFixtures.SAMPLE, 100);
        c.fieldAnalysed(ScreenFixtures.report(3), new DifferentialSnapshot(d.sampleId(), d.counts(), whiteCells,
                d.review(), d.abnormal(), d.redCells(), d.platelets(), d.fields(), d.targetCells()));
        return capture.last();
    }

    /** RGB565 computed here, independently of the driver. */
    private static short[] expected565(BufferedImage img) {
        short[] out = new short[img.getWidth() * img.getHeight()];
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                out[y * img.getWidth() + x] = (short) ((r >> 3) << 11 | (g >> 2) << 5 | (b >> 3));
            }
        }
        return out;
    }

    @Test
    void st7789InitSequenceResetAndSettlingTimes() {
        tft(St7789Display.Controller.ST7789, 0, 240, 240);
        drain();
        assertEquals(List.of("01", "11", "3A[55]", "36[00]", "21", "13", "29"), panel.commandLog());
        assertEquals(List.of("LOW", "HIGH"), resetLevels, "reset pulse from the idle high level");
        assertEquals(List.of(1L, 10L, 120L, 150L, 120L, 10L, 10L), sleeps);
        assertEquals(DigitalState.LOW, backlight.state(), "dark until the first frame is in RAM");
    }

    @Test
    void st7789FrameDecodesBackToTheFrameAndLightsTheBacklight() {
        St7789Display tft = tft(St7789Display.Controller.ST7789, 0, 240, 240);
        BufferedImage frame = screen(PanelSpec.COLOUR_240X240, 67);
        tft.show(frame);
        drain();
        List<String> log = panel.commandLog();
        assertEquals(List.of("2A[00 00 00 EF]", "2B[00 00 00 EF]", "2C"), log.subList(7, log.size()));
        assertEquals(240L * 240 * 2, panel.pixelBytes);
        assertArrayEquals(expected565(frame), panel.ram);
        assertEquals(DigitalState.HIGH, backlight.state());
    }

    @Test
    void aResyncRunsTheInitSequenceAgainBeforeTheWholeFrame() {
        St7789Display tft = tft(St7789Display.Controller.ST7789, 0, 240, 240);
        BufferedImage frame = screen(PanelSpec.COLOUR_240X240, 67);
        tft.show(frame);
        drain();
        int before = panel.commandLog().size();
        tft.resync();
        tft.show(frame); // the same frame: without the resync nothing would be sent
        drain();
        List<String> log = panel.commandLog();
        assertEquals(List.of("01", "11", "3A[55]", "36[00]", "21", "13", "29", "2A[00 00 00 EF]", "2B[00 00 00 EF]", "2C"),
                log.subList(before, log.size()));
        assertArrayEquals(expected565(frame), panel.ram);
    }

    @Test
    void onlyChangedRegionsAreWritten() {
        St7789Display tft = tft(St7789Display.Controller.ST7789, 0, 240, 240);
        tft.show(screen(PanelSpec.COLOUR_240X240, 67));
        drain();
        long full = panel.pixelBytes;
        int commandsBefore = panel.commands.size();

        tft.show(screen(PanelSpec.COLOUR_240X240, 67));
        drain();
        assertEquals(full, panel.pixelBytes, "an identical frame sends nothing");
        assertEquals(commandsBefore, panel.commands.size());

        BufferedImage next = screen(PanelSpec.COLOUR_240X240, 68);
        tft.show(next);
        drain();
        long sent = panel.pixelBytes - full;
        assertTrue(sent > 0 && sent < full / 5, "only the count and bar changed: " + sent + " of " + full + " bytes");
        assertArrayEquals(expected565(next), panel.ram, "panel RAM equals the new frame everywhere");
        for (PanelEmulator.Command c : panel.commands.subList(commandsBefore, panel.commands.size())) {
            if (c.code() == St7789Display.RASET) {
                int y0 = c.params().get(0) << 8 | c.params().get(1);
                assertTrue(y0 > 100, "windows start below the unchanged thumbnail, got row " + y0);
            }
        }
    }

    @Test
    void ili9341LandscapeUsesTheSameCodeAt320x240() {
        St7789Display tft = tft(St7789Display.Controller.ILI9341, 90, 320, 240);
        assertEquals(PanelSpec.COLOUR_320X240, tft.panel());
        BufferedImage frame = screen(PanelSpec.COLOUR_320X240, 67);
        tft.show(frame);
        drain();
        List<String> log = panel.commandLog();
        assertEquals(List.of("01", "11", "3A[55]", "36[28]", "20", "13", "29", "2A[00 00 01 3F]", "2B[00 00 00 EF]", "2C"),
                log);
        assertArrayEquals(expected565(frame), panel.ram);
    }

    @Test
    void st7789UpsideDownAddressesTheOffsetRows() {
        St7789Display tft = tft(St7789Display.Controller.ST7789, 180, 240, 320); // the whole 240x320 RAM
        tft.show(screen(PanelSpec.COLOUR_240X240, 1));
        drain();
        List<String> log = panel.commandLog();
        assertEquals("36[C0]", log.get(3));
        assertEquals("2B[00 50 01 3F]", log.get(8), "rows 80..319 of the 320-row RAM");
    }

    @Test
    void afterABusErrorTheNextFrameIsSentWhole() {
        // an SPI provider whose writes fail on demand, like a panel whose cable came loose
        final boolean[] fail = {false};
        com.pi4j.plugin.mock.provider.spi.MockSpiProviderImpl flaky = new com.pi4j.plugin.mock.provider.spi.MockSpiProviderImpl() {
            @Override
            public Spi create(com.pi4j.io.spi.SpiConfig config) {
                MockSpi s = new MockSpi(this, config) {
                    @Override
                    public int write(byte[] data, int offset, int length) {
                        if (fail[0]) {
                            throw new com.pi4j.io.exception.IOException("SPI transfer failed: Input/output error");
                        }
                        return super.write(data, offset, length);
                    }
                };
                context.registry().add(s);
                return s;
            }
        };
        Context ctx = com.pi4j.Pi4J.newContextBuilder().noAutoDetect().add(flaky,
                com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider.newInstance()).build();
        try {
            spi = (MockSpi) ctx.<Spi>create(Spi.newConfigBuilder(ctx).id("tft").bus(0).channel(0).baud(32_000_000));
            dc = ctx.create(DigitalOutput.newConfigBuilder(ctx).id("dc").address(25).initial(DigitalState.LOW));
            dc.addListener(e -> {
                drain();
                dataMode = e.state() == DigitalState.HIGH;
            });
            panel = new PanelEmulator(240, 240);
            St7789Display tft = new St7789Display(spi, dc, null, null, St7789Display.Controller.ST7789, 0, sleeps::add);
            tft.show(screen(PanelSpec.COLOUR_240X240, 10));
            drain();
            fail[0] = true;
            DisplayException e = org.junit.jupiter.api.Assertions.assertThrows(DisplayException.class,
                    () -> tft.show(screen(PanelSpec.COLOUR_240X240, 11)));
            assertTrue(e.getMessage().contains("Input/output error"), e.getMessage());
            fail[0] = false;
            long before = panel.pixelBytes;
            BufferedImage next = screen(PanelSpec.COLOUR_240X240, 12);
            tft.show(next);
            drain();
            assertEquals(240L * 240 * 2, panel.pixelBytes - before, "unknown panel contents: whole frame again");
            assertArrayEquals(expected565(next), panel.ram);
        } finally {
            ctx.shutdown();
        }
    }
}
