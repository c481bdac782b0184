package org.hematovision.display;

import java.awt.Color;
import java.awt.Graphics2D;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A 5x7 upper-case pixel font drawn with filled rectangles. Our own glyphs rather than a system or
 * TrueType font: output is bit-identical on every JDK, font set and FreeType version (so the golden
 * screens hold on the board and in CI), crisp on a 1-bit OLED, and scaled by whole pixels for
 * reading at arm's length. Lower case is shown as upper case; unknown characters as '?'.
 */
final class BitmapFont {

    static final int GLYPH_W = 5;
    static final int GLYPH_H = 7;
    /** Horizontal advance per character, in unscaled pixels (glyph plus one pixel gap). */
    static final int ADVANCE = 6;

    private static final String GLYPHS = """
            A .###. #...# #...# ##### #...# #...# #...#
            B ####. #...# #...# ####. #...# #...# ####.
            C .###. #...# #.... #.... #.... #...# .###.
            D ####. #...# #...# #...# #...# #...# ####.
            E ##### #.... #.... ####. #.... #.... #####
            F ##### #.... #.... ####. #.... #.... #....
            G .###. #...# #.... #.### #...# #...# .####
            H #...# #...# #...# ##### #...# #...# #...#
            I .###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.
            J ..### ...#. ...#. ...#. ...#. #..#. .##..
            K #...# #..#. #.#.. ##... #.#.. #..#. #...#
            L #.... #.... #.... #.... #.... #.... #####
            M #...# ##.## #.#.# #.#.# #...# #...# #...#
            N #...# #...# ##..# #.#.# #..## #...# #...#
            O .###. #...# #...# #...# #...# #...# .###.
            P ####. #...# #...# ####. #.... #.... #....
            Q .###. #...# #...# #...# #.#.# #..#. .##.#
            R ####. #...# #...# ####. #.#.. #..#. #...#
            S .#### #.... #.... .###. ....# ....# ####.
            T ##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..
            U #...# #...# #...# #...# #...# #...# .###.
            V #...# #...# #...# #...# #...# .#.#. ..#..
            W #...# #...# #...# #.#.# #.#.# #.#.# .#.#.
            X #...# #...# .#.#. ..#.. .#.#. #...# #...#
            Y #...# #...# .#.#. ..#.. ..#.. ..#.. ..#..
            Z ##### ....# ...#. ..#.. .#... #.... #####
            0 .###. #...# #..## #.#.# ##..# #...# .###.
            1 ..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.
            2 .###. #...# ....# ...#. ..#.. .#... #####
            3 ##### ...#. ..#.. ...#. ....# #...# .###.
            4 ...#. ..##. .#.#. #..#. ##### ...#. ...#.
            5 ##### #.... ####. ....# ....# #...# .###.
            6 ..##. .#... #.... ####. #...# #...# .###.
            7 ##### ....# ...#. ..#.. .#... .#... .#...
            8 .###. #...# #...# .###. #...# #...# .###.
            9 .###. #...# #...# .#### ....# ...#. .##..
            . ..... ..... ..... ..... ..... .##.. .##..
            , ..... ..... ..... ..... .##.. ..#.. .#...
            : ..... .##.. .##.. ..... .##.. .##.. .....
            / ..... ....# ...#. ..#.. .#... #.... .....
            % ##... ##..# ...#. ..#.. .#... #..## ...##
            + ..... ..#.. ..#.. ##### ..#.. ..#.. .....
            - ..... ..... ..... ##### ..... ..... .....
            ( ...#. ..#.. .#... .#... .#... ..#.. ...#.
            ) .#... ..#.. ...#. ...#. ...#. ..#.. .#...
            ! ..#.. ..#.. ..#.. ..#.. ..#.. ..... ..#..
            ? .###. #...# ....# ...#. ..#.. ..... ..#..
            ' ..#.. ..#.. .#... ..... ..... ..... .....
            # .#.#. .#.#. ##### .#.#. ##### .#.#. .#.#.
            > .#... ..#.. ...#. ....# ...#. ..#.. .#...
            < ...#. ..#.. .#... #.... .#... ..#.. ...#.
            _ ..... ..... ..... ..... ..... ..... #####
            = ..... ..... ##### ..... ##### ..... .....
            * ..... ..#.. #.#.# .###. #.#.# ..#.. .....
            """;

    /** Per character, 7 rows of 5 bits (bit 4 = leftmost column). */
    private static final Map<Character, int[]> FONT = parse();

    private BitmapFont() {
    }

    private static Map<Character, int[]> parse() {
        Map<Character, int[]> font = new HashMap<>();
        for (String line : GLYPHS.strip().split("\n")) {
            String[] parts = line.strip().split(" ");
            if (parts.length != GLYPH_H + 1) {
                throw new IllegalStateException("bad glyph line: " + line);
            }
            int[] rows = new int[GLYPH_H];
            for (int r = 0; r < GLYPH_H; r++) {
                String bits = parts[r + 1];
                for (int c = 0; c < GLYPH_W; c++) {
                    if (bits.charAt(c) == '#') {
                        rows[r] |= 1 << (GLYPH_W - 1 - c);
                    }
                }
            }
            font.put(parts[0].charAt(0), rows);
        }
        font.put(' ', new int[GLYPH_H]);
        return Map.copyOf(font);
    }

    /** Width in pixels of {@code text} at {@code scale} (no trailing gap). */
    static int width(String text, int scale) {
        return text.isEmpty() ? 0 : (text.length() * ADVANCE - 1) * scale;
    }

    static int height(int scale) {
        return GLYPH_H * scale;
    }

    /** Draws {@code text} with its top-left corner at {@code (x, y)}. */
    static void draw(Graphics2D g, String text, int x, int y, int scale, Color color) {
        g.setColor(color);
        String upper = text.toUpperCase(Locale.ROOT);
        for (int i = 0; i < upper.length(); i++) {
            int[] rows = FONT.getOrDefault(upper.charAt(i), FONT.get('?'));
            int gx = x + i * ADVANCE * scale;
            for (int r = 0; r < GLYPH_H; r++) {
                for (int c = 0; c < GLYPH_W; c++) {
                    if ((rows[r] & (1 << (GLYPH_W - 1 - c))) != 0) {
                        g.fillRect(gx + c * scale, y + r * scale, scale, scale);
                    }
                }
            }
        }
    }

    /** Draws {@code text} centred horizontally in {@code [x, x + w)}. */
    static void drawCentred(Graphics2D g, String text, int x, int w, int y, int scale, Color color) {
        draw(g, text, x + (w - width(text, scale)) / 2, y, scale, color);
    }

    /** The largest scale (at most {@code maxScale}, at least 1) at which {@code text} fits in {@code w} pixels. */
    static int fitScale(String text, int w, int maxScale) {
        for (int s = maxScale; s > 1; s--) {
            if (width(text, s) <= w) {
                return s;
            }
        }
        return 1;
    }

    /** Cuts {@code text} so it fits in {@code w} pixels at {@code scale}. */
    static String clip(String text, int w, int scale) {
        int max = Math.max(0, (w / scale + 1) / ADVANCE);
        return text.length() <= max ? text : text.substring(0, max);
    }
}
