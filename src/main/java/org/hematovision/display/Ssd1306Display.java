package org.hematovision.display;

import com.pi4j.io.i2c.I2C;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Objects;

/**
 * SSD1306 128x64 monochrome OLED on I2C. The controller's RAM is 8 pages of 128 column bytes, each byte
 * 8 vertical pixels with the least significant bit on top. Horizontal addressing over the full window
 * (set once in the init sequence) makes the RAM pointer wrap to the top-left after 1024 bytes, so each
 * frame is a single I2C write: control byte {@code 0x40} and the 1024 data bytes. After a failed write
 * the pointer may be anywhere, so the window is sent again (one command write) before the next frame.
 * An unchanged frame is not sent.
 */
public final class Ssd1306Display implements Display {

    public static final int WIDTH = 128;
    public static final int HEIGHT = 64;
    public static final int PAGES = HEIGHT / 8;
    /** Control byte: the rest of this write is commands. */
    public static final int CONTROL_COMMANDS = 0x00;
    /** Control byte: the rest of this write is display RAM data. */
    public static final int CONTROL_DATA = 0x40;

    private final I2C i2c;
    private final int rotation;
    private byte[] shown;
    /** The RAM pointer is known to be at the window's start. */
    private boolean addressed;
    private boolean closed;

    /**
     * Initialises the panel (display on, blank frame not yet sent).
     *
     * @param rotation 0, or 180 for a module mounted upside down (done by the controller's scan direction)
     * @throws DisplayException when the device does not answer
     */
    public Ssd1306Display(I2C i2c, int rotation) {
        this.i2c = Objects.requireNonNull(i2c, "i2c");
        if (rotation != 0 && rotation != 180) {
            throw new IllegalArgumentException("SSD1306 rotation must be 0 or 180, got " + rotation);
        }
        this.rotation = rotation;
        commands(initSequence(rotation));
        addressed = true;
    }

    /** The commands sent at start-up, in order. */
    static int[] initSequence(int rotation) {
        return new int[] {
            0xAE,             // display off while configuring
            0xD5, 0x80,       // clock divide ratio / oscillator frequency: reset value
            0xA8, 0x3F,       // multiplex ratio: 64 rows
            0xD3, 0x00,       // display offset 0
            0x40,             // start line 0
            0x8D, 0x14,       // charge pump on (modules run from 3.3 V without an external VCC)
            0x20, 0x00,       // horizontal addressing: one data write fills every page
            rotation == 180 ? 0xA0 : 0xA1,   // segment remap: column 127 at the left for rotation 0
            rotation == 180 ? 0xC0 : 0xC8,   // COM scan direction: row 63 at the bottom for rotation 0
            0xDA, 0x12,       // COM pins: alternative configuration (128x64 modules)
            0x81, 0xCF,       // contrast
            0xD9, 0xF1,       // pre-charge period for the internal charge pump
            0xDB, 0x40,       // VCOMH deselect level
            0x21, 0, WIDTH - 1, // column window: all 128
            0x22, 0, PAGES - 1, // page window: all 8
            0xA4,             // show RAM contents
            0xA6,             // normal, not inverted
            0x2E,             // scrolling off
            0xAF              // display on
        };
    }

    @Override
    public PanelSpec panel() {
        return PanelSpec.MONO_128X64;
    }

    @Override
    public synchronized void show(BufferedImage frame) {
        if (closed) {
            throw new DisplayException(describe() + " is closed");
        }
        if (frame.getWidth() != WIDTH || frame.getHeight() != HEIGHT) {
            throw new IllegalArgumentException("frame is " + frame.getWidth() + "x" + frame.getHeight()
                    + ", SSD1306 is " + WIDTH + "x" + HEIGHT);
        }
        byte[] pages = pack(frame);
        if (Arrays.equals(pages, shown)) {
            return;
        }
        shown = null; // if a write fails the panel holds an unknown frame
        if (!addressed) {
            // A failed write may mean the module lost power (loose jumper, brown-out, re-seated): it is
            // then back at its reset state, display off and charge pump off, where a window and a frame
            // would leave it dark. The whole set-up (32 bytes, window and display-on included) is sent again.
            commands(initSequence(rotation));
            addressed = true;
        }
        byte[] data = new byte[pages.length + 1];
        data[0] = (byte) CONTROL_DATA;
        System.arraycopy(pages, 0, data, 1, pages.length);
        addressed = false;
        write(data);
        addressed = true; // 1024 bytes written: the pointer wrapped to the window start
        shown = pages;
    }

    @Override
    public synchronized void resync() {
        addressed = false; // the next show sends the init sequence first
        shown = null;
    }

    /** The frame in SSD1306 page order: byte {@code page * 128 + x}, bit {@code y % 8} is pixel (x, y). */
    static byte[] pack(BufferedImage frame) {
        byte[] pages = new byte[WIDTH * PAGES];
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                if (ScreenRenderer.lit(frame.getRGB(x, y))) {
                    pages[(y / 8) * WIDTH + x] |= (byte) (1 << (y % 8));
                }
            }
        }
        return pages;
    }

    private void commands(int[] cmds) {
        byte[] data = new byte[cmds.length + 1];
        data[0] = (byte) CONTROL_COMMANDS;
        for (int i = 0; i < cmds.length; i++) {
            data[i + 1] = (byte) cmds[i];
        }
        write(data);
    }

    private void write(byte[] data) {
        try {
            i2c.write(data, 0, data.length);
        } catch (RuntimeException e) {
            addressed = false;
            throw new DisplayException(describe() + ": I2C write failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return String.format("ssd1306 i2c-%d@0x%02x", i2c.bus(), i2c.device());
    }

    /** Leaves the last frame (the "stopped" screen) on the panel and releases the bus handle. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            i2c.close();
        } catch (RuntimeException e) {
            org.tinylog.Logger.warn("{}: close failed: {}", describe(), e.getMessage());
        }
    }
}
