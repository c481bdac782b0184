package org.hematovision.display;

import java.util.ArrayList;
import java.util.List;

/**
 * The receiving end of a MIPI-DCS TFT (ST7789 / ILI9341), enough to check what a driver sent: commands
 * with their parameters, and RAMWR pixel data placed in the CASET/RASET window, row by row.
 */
final class PanelEmulator {

    record Command(int code, List<Integer> params) {
    }

    final int width;
    final int height;
    final short[] ram;
    final List<Command> commands = new ArrayList<>();
    long pixelBytes;
    private int x0;
    private int x1;
    private int y0;
    private int y1;
    private int cx;
    private int cy;
    private int highByte = -1;

    PanelEmulator(int width, int height) {
        this.width = width;
        this.height = height;
        this.ram = new short[width * height];
    }

    void receive(boolean data, byte[] bytes) {
        for (byte b : bytes) {
            int v = b & 0xFF;
            if (!data) {
                commands.add(new Command(v, new ArrayList<>()));
                if (v == St7789Display.RAMWR) {
                    cx = x0;
                    cy = y0;
                    highByte = -1;
                }
                continue;
            }
            Command cmd = commands.get(commands.size() - 1);
            if (cmd.code() == St7789Display.RAMWR) {
                pixelBytes++;
                if (highByte < 0) {
                    highByte = v;
                } else {
                    pixel((short) (highByte << 8 | v));
                    highByte = -1;
                }
                continue;
            }
            cmd.params().add(v);
            if (cmd.params().size() == 4 && cmd.code() == St7789Display.CASET) {
                x0 = word(cmd, 0);
                x1 = word(cmd, 2);
            } else if (cmd.params().size() == 4 && cmd.code() == St7789Display.RASET) {
                y0 = word(cmd, 0);
                y1 = word(cmd, 2);
            }
        }
    }

    private static int word(Command c, int i) {
        return c.params().get(i) << 8 | c.params().get(i + 1);
    }

    private void pixel(short p) {
        if (cy > y1) {
            throw new AssertionError("pixel data beyond the RASET window");
        }
        ram[cy * width + cx] = p;
        if (++cx > x1) {
            cx = x0;
            cy++;
        }
    }

    /** The commands without RAMWR data, e.g. {@code 3A[55]}, for comparing sequences. */
    List<String> commandLog() {
        List<String> out = new ArrayList<>();
        for (Command c : commands) {
            StringBuilder sb = new StringBuilder(String.format("%02X", c.code()));
            if (!c.params().isEmpty()) {
                sb.append(c.params().stream().map(p -> String.format("%02X", p))
                        .collect(java.util.stream.Collectors.joining(" ", "[", "]")));
            }
            out.add(sb.toString());
        }
        return out;
    }
}
