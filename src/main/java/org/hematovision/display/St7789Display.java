package org.hematovision.display;

import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.spi.Spi;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * Colour TFT on SPI with a data/command pin: ST7789 (240x240) and ILI9341 (240x320, 320x240 rotated), which
 * share the MIPI DCS command set used here. Pixels are RGB565, high byte first. Only what changed since
 * the last frame is sent: the frame is cut into bands of {@link #BAND_ROWS} rows, each band's changed
 * pixels bounded by one CASET/RASET window, neighbouring windows merged when that costs little. Data goes
 * out in writes of at most {@link #MAX_WRITE_BYTES} (the spidev default buffer size).
 */
public final class St7789Display implements Display {

    /** The controllers this driver speaks to. */
    public enum Controller {
        /** 240x240 panel on a 240x320 RAM (hence the row offset when rotated by 180/270). */
        ST7789(240, 240),
        /** 240x320 panel. */
        ILI9341(240, 320);

        final int nativeWidth;
        final int nativeHeight;

        Controller(int nativeWidth, int nativeHeight) {
            this.nativeWidth = nativeWidth;
            this.nativeHeight = nativeHeight;
        }
    }

    public static final int SWRESET = 0x01;
    public static final int SLPOUT = 0x11;
    public static final int NORON = 0x13;
    public static final int INVOFF = 0x20;
    public static final int INVON = 0x21;
    public static final int DISPON = 0x29;
    public static final int CASET = 0x2A;
    public static final int RASET = 0x2B;
    public static final int RAMWR = 0x2C;
    public static final int MADCTL = 0x36;
    public static final int COLMOD = 0x3A;
    /** spidev's default buffer: larger writes fail unless the kernel gets spidev.bufsiz=N. */
    public static final int MAX_WRITE_BYTES = 4096;
    public static final int BAND_ROWS = 16;
    /** Merge two windows when the merged one re-sends at most this many unchanged bytes. */
    static final int MERGE_SLACK_BYTES = 1024;

    private final Spi spi;
    private final DigitalOutput dc;
    private final DigitalOutput reset;
    private final DigitalOutput backlight;
    private final Controller controller;
    private final int rotation;
    private final LongConsumer sleeper;
    private final PanelSpec panel;
    private final int xOffset;
    private final int yOffset;
    private short[] shown;
    /** The set-up is sent again before the next frame ({@link #resync}). */
    private boolean needsInit;
    private boolean closed;

    /** A window of the frame, inclusive bounds. */
    record Window(int x0, int y0, int x1, int y1) {
        int pixels() {
            return (x1 - x0 + 1) * (y1 - y0 + 1);
        }

        Window union(Window o) {
            return new Window(Math.min(x0, o.x0), Math.min(y0, o.y0), Math.max(x1, o.x1), Math.max(y1, o.y1));
        }
    }

    /**
     * Resets and initialises the panel, then turns the backlight on.
     *
     * @param reset     reset pin, or null when tied high (a software reset is sent either way)
     * @param backlight backlight pin, or null when always on
     * @param rotation  0, 90, 180, 270 degrees clockwise
     * @param sleeper   waits the controller's settling times (Thread::sleep; tests record them instead)
     * @throws DisplayException when the bus or a pin fails
     */
    public St7789Display(Spi spi, DigitalOutput dc, DigitalOutput reset, DigitalOutput backlight, Controller controller,
                         int rotation, LongConsumer sleeper) {
        this.spi = Objects.requireNonNull(spi, "spi");
        this.dc = Objects.requireNonNull(dc, "dc");
        this.reset = reset;
        this.backlight = backlight;
        this.controller = Objects.requireNonNull(controller, "controller");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        if (rotation != 0 && rotation != 90 && rotation != 180 && rotation != 270) {
            throw new IllegalArgumentException("rotation must be 0, 90, 180 or 270, got " + rotation);
        }
        this.rotation = rotation;
        boolean swap = rotation == 90 || rotation == 270;
        this.panel = new PanelSpec(swap ? controller.nativeHeight : controller.nativeWidth,
                swap ? controller.nativeWidth : controller.nativeHeight, true);
        // the ST7789's RAM is 320 rows; a 240-row panel shows rows 0..239 unless mirrored
        int ramSlack = controller == Controller.ST7789 ? 320 - 240 : 0;
        this.xOffset = rotation == 270 ? ramSlack : 0;
        this.yOffset = rotation == 180 ? ramSlack : 0;
        init();
    }

    /** MADCTL for a controller and rotation: row/column exchange and mirroring, BGR order on the ILI9341. */
    static int madctl(Controller controller, int rotation) {
        if (controller == Controller.ST7789) {
            return switch (rotation) {
                case 90 -> 0x60;
                case 180 -> 0xC0;
                case 270 -> 0xA0;
                default -> 0x00;
            };
        }
        return switch (rotation) {
            case 90 -> 0x28;
            case 180 -> 0x88;
            case 270 -> 0xE8;
            default -> 0x48;
        };
    }

    private void init() {
        try {
            if (backlight != null) {
                backlight.low(); // dark until the first frame is in RAM
            }
            if (reset != null) {
                reset.high();
                sleeper.accept(1);
                reset.low();
                sleeper.accept(10);
                reset.high();
                sleeper.accept(120);
            }
            command(SWRESET);
            sleeper.accept(150);
            command(SLPOUT);
            sleeper.accept(120);
            command(COLMOD, 0x55); // 16 bits per pixel
            command(MADCTL, madctl(controller, rotation));
            command(controller == Controller.ST7789 ? INVON : INVOFF); // ST7789 glass is inverted
            command(NORON);
            sleeper.accept(10);
            command(DISPON);
            sleeper.accept(10);
        } catch (RuntimeException e) {
            throw new DisplayException(describe() + ": init failed: " + e.getMessage(), e);
        }
    }

    @Override
    public PanelSpec panel() {
        return panel;
    }

    @Override
    public synchronized void show(BufferedImage frame) {
        if (closed) {
            throw new DisplayException(describe() + " is closed");
        }
        int w = panel.width();
        int h = panel.height();
        if (frame.getWidth() != w || frame.getHeight() != h) {
            throw new IllegalArgumentException("frame is " + frame.getWidth() + "x" + frame.getHeight()
                    + ", panel is " + panel);
        }
        short[] next = toRgb565(frame);
        if (needsInit) {
            init(); // throws DisplayException and stays needed when the panel does not answer
            needsInit = false;
        }
        List<Window> windows = shown == null ? List.of(new Window(0, 0, w - 1, h - 1)) : changed(shown, next, w, h);
        short[] before = shown;
        shown = null; // if a write fails the panel holds an unknown frame: send all of the next one
        try {
            for (Window win : windows) {
                writeWindow(next, w, win);
            }
            if (before == null && backlight != null) {
                backlight.high();
            }
        } catch (RuntimeException e) {
            throw new DisplayException(describe() + ": SPI write failed: " + e.getMessage(), e);
        }
        shown = next;
    }

    @Override
    public synchronized void resync() {
        needsInit = true;
        shown = null;
    }

    static short[] toRgb565(BufferedImage frame) {
        int w = frame.getWidth();
        int h = frame.getHeight();
        short[] px = new short[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = frame.getRGB(x, y);
                px[y * w + x] = (short) (((rgb >> 8) & 0xF800) | ((rgb >> 5) & 0x07E0) | ((rgb >> 3) & 0x001F));
            }
        }
        return px;
    }

    /** Windows covering every changed pixel: one per band of rows, neighbours merged when cheap. */
    static List<Window> changed(short[] before, short[] after, int w, int h) {
        List<Window> windows = new ArrayList<>();
        for (int band = 0; band < h; band += BAND_ROWS) {
            int x0 = w;
            int x1 = -1;
            int y0 = h;
            int y1 = -1;
            for (int y = band; y < Math.min(h, band + BAND_ROWS); y++) {
                for (int x = 0; x < w; x++) {
                    if (before[y * w + x] != after[y * w + x]) {
                        x0 = Math.min(x0, x);
                        x1 = Math.max(x1, x);
                        y0 = Math.min(y0, y);
                        y1 = Math.max(y1, y);
                    }
                }
            }
            if (x1 < 0) {
                continue;
            }
            Window win = new Window(x0, y0, x1, y1);
            if (!windows.isEmpty()) {
                Window last = windows.get(windows.size() - 1);
                Window merged = last.union(win);
                if ((merged.pixels() - last.pixels() - win.pixels()) * 2 <= MERGE_SLACK_BYTES) {
                    windows.set(windows.size() - 1, merged);
                    continue;
                }
            }
            windows.add(win);
        }
        return windows;
    }

    private void writeWindow(short[] px, int w, Window win) {
        int cx0 = win.x0() + xOffset;
        int cx1 = win.x1() + xOffset;
        int ry0 = win.y0() + yOffset;
        int ry1 = win.y1() + yOffset;
        command(CASET, cx0 >> 8, cx0 & 0xFF, cx1 >> 8, cx1 & 0xFF);
        command(RASET, ry0 >> 8, ry0 & 0xFF, ry1 >> 8, ry1 & 0xFF);
        command(RAMWR);
        dc.high();
        byte[] buf = new byte[MAX_WRITE_BYTES];
        int n = 0;
        for (int y = win.y0(); y <= win.y1(); y++) {
            for (int x = win.x0(); x <= win.x1(); x++) {
                short p = px[y * w + x];
                buf[n++] = (byte) (p >> 8);
                buf[n++] = (byte) p;
                if (n == buf.length) {
                    spi.write(buf, 0, n);
                    n = 0;
                }
            }
        }
        if (n > 0) {
            spi.write(buf, 0, n);
        }
    }

    private void command(int cmd, int... params) {
        dc.low();
        spi.write((byte) cmd);
        if (params.length > 0) {
            byte[] p = new byte[params.length];
            for (int i = 0; i < params.length; i++) {
                p[i] = (byte) params[i];
            }
            dc.high();
            spi.write(p, 0, p.length);
        }
    }

    @Override
    public String describe() {
        return controller.name().toLowerCase(java.util.Locale.ROOT) + " spi " + spi.id() + " " + panel;
    }

    /** Leaves the last frame (the "stopped" screen) lit and releases the bus handle. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            spi.close();
        } catch (RuntimeException e) {
            org.tinylog.Logger.warn("{}: close failed: {}", describe(), e.getMessage());
        }
    }
}
