package org.hematovision.display;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SSD1306 driver against Pi4J's mock I2C: exact init bytes, and frames that decode back to themselves. */
class Ssd1306DisplayTest {

    private static final byte[] INIT = bytes(0x00,
            0xAE, 0xD5, 0x80, 0xA8, 0x3F, 0xD3, 0x00, 0x40, 0x8D, 0x14, 0x20, 0x00, 0xA1, 0xC8,
            0xDA, 0x12, 0x81, 0xCF, 0xD9, 0xF1, 0xDB, 0x40, 0x21, 0x00, 0x7F, 0x22, 0x00, 0x07,
            0xA4, 0xA6, 0x2E, 0xAF);

    private final RecordingI2CProvider provider = new RecordingI2CProvider();
    private Context pi4j;
    private I2C i2c;

    @BeforeEach
    void open() {
        pi4j = Pi4J.newContextBuilder().noAutoDetect().add(provider).build();
        i2c = pi4j.create(I2C.newConfigBuilder(pi4j).id("oled").bus(1).device(0x3C));
    }

    @AfterEach
    void close() {
        pi4j.shutdown();
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static BufferedImage analysingScreen(int whiteCells) {
        var d = ScreenFixtures.running();
        var a = new Screen.Analysing(Optional.empty(), whiteCells, 100, 12, 1, 2, d.counts());
        return new ScreenRenderer().render(new Screen.State(a, Optional.of(new Screen.Banner(
                ScreenFixtures.abnormal().kind(), "ig", 0.91f, Optional.empty(), 1)), LinkStatus.ONLINE),
                PanelSpec.MONO_128X64);
    }

    /** Reads pixel (x, y) back out of the bytes as the SSD1306 would: page y/8, column x, bit y%8. */
    private static boolean decoded(byte[] data, int x, int y) {
        return ((data[1 + (y / 8) * 128 + x] >> (y % 8)) & 1) == 1;
    }

    @Test
    void initIsOneWriteOfTheExactCommandSequence() {
        new Ssd1306Display(i2c, 0);
        assertEquals(1, provider.writes.size());
        assertArrayEquals(INIT, provider.writes.get(0));
        byte[] streamed = new byte[INIT.length];
        assertEquals(INIT.length, i2c.read(streamed), "the mock's byte stream holds the same bytes");
        assertArrayEquals(INIT, streamed);
    }

    @Test
    void upsideDownFlipsSegmentAndComScan() {
        new Ssd1306Display(i2c, 180);
        byte[] init = provider.writes.get(0);
        assertEquals((byte) 0xA0, init[13]);
        assertEquals((byte) 0xC0, init[14]);
        byte[] expected = INIT.clone();
        expected[13] = (byte) 0xA0;
        expected[14] = (byte) 0xC0;
        assertArrayEquals(expected, init, "only the scan directions differ");
        assertThrows(IllegalArgumentException.class, () -> new Ssd1306Display(i2c, 90));
    }

    @Test
    void eachFrameIsOneWriteThatDecodesBackToTheFrame() {
        Ssd1306Display oled = new Ssd1306Display(i2c, 0);
        BufferedImage frame = analysingScreen(67);
        oled.show(frame);
        assertEquals(2, provider.writes.size(), "init (with the full window), then one data write");
        byte[] data = provider.writes.get(1);
        assertEquals(1 + 1024, data.length);
        assertEquals(0x40, data[0]);
        int lit = 0;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 128; x++) {
                boolean expected = (frame.getRGB(x, y) & 0xFFFFFF) == 0xFFFFFF;
                assertEquals(expected, decoded(data, x, y), "pixel " + x + "," + y);
                lit += expected ? 1 : 0;
            }
        }
        assertTrue(lit > 500 && lit < 8192 - 500, "a real screen, not blank: " + lit + " lit");

        oled.show(analysingScreen(67));
        assertEquals(2, provider.writes.size(), "an unchanged frame is not sent again");
        oled.show(analysingScreen(68));
        assertEquals(3, provider.writes.size());
        assertEquals(1025, provider.writes.get(2).length);
    }

    @Test
    void aResyncSendsTheSetUpAndTheWholeFrameAgain() {
        Ssd1306Display oled = new Ssd1306Display(i2c, 0);
        oled.show(analysingScreen(67));
        oled.resync(); // a module that browned out between two writes answers, but sits dark at its reset state
        oled.show(analysingScreen(67));
        assertEquals(4, provider.writes.size(), "init, frame, then init and the same frame again");
        assertArrayEquals(INIT, provider.writes.get(2));
        assertArrayEquals(provider.writes.get(1), provider.writes.get(3));
    }

    @Test
    void busFailureIsLoggedOnceCountingGoesOnAndTheFrameIsResentWhenTheBusIsBack() {
        Ssd1306Display oled = new Ssd1306Display(i2c, 0);
        List<String> problems = new ArrayList<>();
        DisplayController c = new DisplayController(oled, new ScreenRenderer(), Runnable::run, null, problems::add);
        c.sampleStarted(ScreenFixtures.SAMPLE, 100);
        int before = provider.writes.size();
        provider.fail = true;
        for (int i = 0; i < 10; i++) {
            c.fieldAnalysed(ScreenFixtures.report(i), ScreenFixtures.running());
            c.alert(ScreenFixtures.abnormal());
        }
        assertEquals(before, provider.writes.size());
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("ssd1306 i2c-1@0x3c") && problems.get(0).contains("did not acknowledge"),
                problems.get(0));
        assertEquals(10, c.state().banner().orElseThrow().held(), "events kept updating the state");

        provider.fail = false;
        c.link(new LinkStatus(false, 3));
        assertEquals(before + 2, provider.writes.size(), "set-up re-sent, then the whole frame, once the bus answers");
        // a module that was off the bus may have lost power and with it its set-up: not only the window
        assertArrayEquals(INIT, provider.writes.get(before));
        assertEquals(1025, provider.writes.get(before + 1).length);
        assertInstanceOf(Screen.Analysing.class, c.state().screen());
        c.close();
        assertThrows(DisplayException.class, () -> oled.show(analysingScreen(1)));
    }
}
