package org.hematovision.display;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.hematovision.image.BgrImage;
import org.hematovision.sample.Alert;
import org.hematovision.sample.DifferentialSnapshot;
import org.hematovision.sample.StorageStatus;

/**
 * Draws a {@link Screen.State} for a panel. Everything is integer rectangles, lines and the
 * {@link BitmapFont}, with antialiasing off and our own image scaling, so the same state gives the same
 * pixels on every machine (the golden screens under {@code docs/screens/} depend on it).
 *
 * <p>Colour panels get TYPE_INT_RGB images with the field thumbnail, class-coloured boxes and the
 * alert crop; monochrome panels get a TYPE_BYTE_BINARY image with text and bars only. Stateless and
 * thread-safe.
 */
public final class ScreenRenderer {

    private static final Color BG = new Color(12, 14, 20);
    private static final Color BAR_BG = new Color(36, 40, 52);
    private static final Color FG = Color.WHITE;
    private static final Color DIM = new Color(160, 166, 178);
    private static final Color GOOD = new Color(70, 200, 90);
    private static final Color WARN = new Color(245, 180, 40);
    private static final Color BAD = new Color(225, 45, 45);
    private static final Color REVIEW = new Color(245, 215, 60);

    /** Icons for the link indicator, 7x7, same notation as the font. */
    private static final String[] ICON_OK = {".......", "......#", ".....#.", "#...#..", ".#.#...", "..#....", "......."};
    private static final String[] ICON_OFFLINE = {"#.....#", ".#...#.", "..#.#..", "...#...", "..#.#..", ".#...#.", "#.....#"};
    private static final String[] ICON_QUEUE = {"#######", "##...##", "#.#.#.#", "#..#..#", "#.....#", "#.....#", "#######"};
    /** The storage indicator: a floppy disk (the "save" sign), shown only while saving fails. */
    private static final String[] ICON_DISK = {"######.", "#.###.#", "#.###.#", "#.....#", "#.###.#", "#.....#", "#######"};

    /** Renders {@code state} at {@code panel}'s size. */
    public BufferedImage render(Screen.State state, PanelSpec panel) {
        BufferedImage img = new BufferedImage(panel.width(), panel.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
            Canvas c = new Canvas(g, panel);
            c.fill(0, 0, panel.width(), panel.height(), c.bg());
            drawScreen(c, state.screen());
            String title = title(state.screen());
            if (state.screen() instanceof Screen.Finished f && c.mono()) {
                title += " " + f.differential().leukocytes() + " WBC";
            }
            drawStatusBar(c, title, state.link(), state.storage());
            state.banner().ifPresent(b -> drawBanner(c, b));
        } finally {
            g.dispose();
        }
        return panel.colour() ? img : toBinary(img);
    }

    // ---- layout of the main screens -------------------------------------------------------------

    private static String title(Screen s) {
        if (s instanceof Screen.Ready) {
            return "READY";
        } else if (s instanceof Screen.CameraMissing) {
            return "NO CAMERA";
        } else if (s instanceof Screen.OutOfFocus) {
            return "FOCUS";
        } else if (s instanceof Screen.Analysing) {
            return "COUNTING";
        } else if (s instanceof Screen.Finished) {
            return "DONE";
        }
        return "STOPPED";
    }

    private void drawScreen(Canvas c, Screen s) {
        if (s instanceof Screen.Ready r) {
            drawMessage(c, "READY", c.fg(), r.hint());
        } else if (s instanceof Screen.CameraMissing m) {
            drawMessage(c, "NO CAMERA", c.colour(BAD), m.hint());
        } else if (s instanceof Screen.OutOfFocus f) {
            drawMessage(c, "FOCUS", c.colour(WARN), f.hint());
        } else if (s instanceof Screen.Analysing a) {
            drawAnalysing(c, a);
        } else if (s instanceof Screen.Finished f) {
            drawFinished(c, f.differential());
        } else {
            drawMessage(c, "STOPPED", c.fg(), "Safe to power off");
        }
    }

    /** A big headline with a wrapped hint below it, centred in the body. */
    private void drawMessage(Canvas c, String headline, Color colour, String hint) {
        int w = c.width();
        int top = c.bodyTop();
        int big = BitmapFont.fitScale(headline, w - 8, c.mono() ? 3 : 5);
        int small = c.mono() ? 1 : 2;
        List<String> lines = wrap(hint, w - 8, small);
        int lineH = BitmapFont.height(small) + small * 3;
        int maxLines = Math.max(0, (c.height() - top - BitmapFont.height(big) - 3 * small) / lineH);
        lines = lines.subList(0, Math.min(lines.size(), maxLines));
        int blockH = BitmapFont.height(big) + (lines.isEmpty() ? 0 : small * 4 + lines.size() * lineH);
        int y = top + Math.max(1, (c.height() - top - blockH) / 2);
        BitmapFont.drawCentred(c.g, headline, 0, w, y, big, colour);
        y += BitmapFont.height(big) + small * 4;
        for (String line : lines) {
            BitmapFont.drawCentred(c.g, line, 0, w, y, small, c.mono() ? c.fg() : DIM);
            y += lineH;
        }
    }

    private void drawAnalysing(Canvas c, Screen.Analysing a) {
        if (c.mono()) {
            drawCountMono(c, a);
            return;
        }
        int w = c.width();
        int h = c.height();
        int top = c.bodyTop();
        if (w > h) {
            // landscape: thumbnail left (4:3), count column right, class legend below the thumbnail
            int tw = w * 5 / 8;
            int th = tw * 3 / 4;
            drawThumbnail(c, a.field(), 0, top, tw, th);
            int cx = tw + 6;
            int cw = w - cx - 4;
            BitmapFont.draw(c.g, "WBC", cx, top + 4, 2, DIM);
            String count = Integer.toString(a.leukocytes());
            int cs = BitmapFont.fitScale(count, cw, 5);
            BitmapFont.draw(c.g, count, cx, top + 22, cs, c.fg());
            int y = top + 22 + BitmapFont.height(cs) + 4;
            if (a.targetCells() > 0) {
                BitmapFont.draw(c.g, "/" + a.targetCells(), cx, y, 2, DIM);
                y += 18;
                drawProgress(c, cx, y, cw, 10, a.leukocytes(), a.targetCells());
                y += 16;
            }
            // three lines that must end above the legend
            BitmapFont.draw(c.g, "FLD " + a.fields(), cx, y, 2, DIM);
            BitmapFont.draw(c.g, "ABN " + a.abnormal(), cx, y + 18, 2, a.abnormal() > 0 ? BAD : DIM);
            BitmapFont.draw(c.g, "REV " + a.review(), cx, y + 36, 2, a.review() > 0 ? REVIEW : DIM);
            drawLegend(c, a, 4, top + th + 6, w - 8, h - (top + th + 6));
        } else {
            int th = (h - top) * 9 / 16;
            drawThumbnail(c, a.field(), 0, top, w, th);
            int y = top + th + 6;
            String count = a.targetCells() > 0 ? a.leukocytes() + "/" + a.targetCells() : a.leukocytes() + " WBC";
            int cs = BitmapFont.fitScale(count, w - 8, 4);
            BitmapFont.drawCentred(c.g, count, 0, w, y, cs, c.fg());
            y += BitmapFont.height(cs) + 6;
            if (a.targetCells() > 0) {
                drawProgress(c, 8, y, w - 16, 10, a.leukocytes(), a.targetCells());
            }
            y += 16;
            drawStats(c, a, y, 2);
        }
    }

    private void drawCountMono(Canvas c, Screen.Analysing a) {
        int w = c.width();
        String count = a.targetCells() > 0 ? a.leukocytes() + "/" + a.targetCells() : a.leukocytes() + " WBC";
        int cs = BitmapFont.fitScale(count, w - 4, 3);
        int y = c.bodyTop() + 3;
        BitmapFont.drawCentred(c.g, count, 0, w, y, cs, c.fg());
        y += BitmapFont.height(cs) + 4;
        if (a.targetCells() > 0) {
            drawProgress(c, 4, y, w - 8, 6, a.leukocytes(), a.targetCells());
        }
        drawStats(c, a, y + 11, 1);
    }

    private void drawStats(Canvas c, Screen.Analysing a, int y, int scale) {
        String stats = "F" + a.fields() + " ABN" + a.abnormal() + " REV" + a.review();
        BitmapFont.drawCentred(c.g, BitmapFont.clip(stats, c.width() - 4, scale), 0, c.width(), y, scale,
                c.mono() ? c.fg() : DIM);
    }

    private void drawProgress(Canvas c, int x, int y, int w, int h, int value, int target) {
        c.fill(x, y, w, h, c.mono() ? c.bg() : BAR_BG);
        c.outline(x, y, w, h, c.fg());
        int filled = (int) ((long) (w - 2) * Math.min(value, target) / target);
        c.fill(x + 1, y + 1, filled, h - 2, value >= target ? c.colour(GOOD) : c.fg());
    }

    /** Counts so far per class, in each class's box colour, so the boxes can be read. */
    private void drawLegend(Canvas c, Screen.Analysing a, int x, int y, int w, int h) {
        int col = 0;
        int row = 0;
        int itemW = 100;
        int perRow = Math.max(1, w / itemW);
        for (Map.Entry<String, Integer> e : a.counts().entrySet()) {
            int iy = y + row * 20;
            if (iy + 14 > y + h) {
                break;
            }
            int ix = x + col * itemW;
            c.fill(ix, iy + 2, 10, 10, classColour(e.getKey(), false));
            BitmapFont.draw(c.g, abbreviate(e.getKey()) + " " + e.getValue(), ix + 14, iy, 2, c.fg());
            if (++col == perRow) {
                col = 0;
                row++;
            }
        }
    }

    private void drawThumbnail(Canvas c, Optional<Screen.FieldView> field, int x, int y, int w, int h) {
        c.fill(x, y, w, h, Color.BLACK);
        if (field.isEmpty()) {
            BitmapFont.drawCentred(c.g, "WAITING FOR FIELD", x, w, y + h / 2 - 7, 1, DIM);
            return;
        }
        BgrImage img = field.get().image();
        Placed p = drawScaled(c, img, x, y, w, h);
        for (Screen.MarkedCell cell : field.get().cells()) {
            var b = cell.box();
            int bx = p.x + (int) ((long) b.x() * p.w / img.width());
            int by = p.y + (int) ((long) b.y() * p.h / img.height());
            int bw = Math.max(3, (int) ((long) b.width() * p.w / img.width()));
            int bh = Math.max(3, (int) ((long) b.height() * p.h / img.height()));
            Color colour = cell.abnormal() ? BAD : cell.review() ? REVIEW : classColour(cell.label(), false);
            c.outline(bx, by, bw, bh, colour);
            c.outline(bx + 1, by + 1, bw - 2, bh - 2, colour);
        }
    }

    private void drawFinished(Canvas c, DifferentialSnapshot d) {
        int w = c.width();
        int top = c.bodyTop();
        int scale = c.mono() ? 1 : 2;
        int y0 = top + 1;
        if (!c.mono()) {
            // on the OLED the count is in the status bar, leaving a row for one more class
            String header = d.leukocytes() + " WBC  " + d.fields() + " FIELDS";
            BitmapFont.draw(c.g, BitmapFont.clip(header, w - 4, scale), 2, top + scale, scale, c.fg());
            y0 = top + BitmapFont.height(scale) + 3 * scale;
        }
        int rowH = c.mono() ? 8 : 22;
        int rows = Math.max(1, (c.height() - y0) / rowH);
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(d.counts().entrySet());
        if (entries.size() > rows) {
            // not all classes fit: keep the largest ones, still in model order
            List<Map.Entry<String, Integer>> largest = new ArrayList<>(entries);
            largest.sort(Comparator.comparing((Map.Entry<String, Integer> e) -> e.getValue()).reversed());
            List<Map.Entry<String, Integer>> keep = largest.subList(0, rows);
            entries.removeIf(e -> !keep.contains(e));
        }
        int labelW = BitmapFont.width("NEU", scale) + 2 * scale;
        int pctW = BitmapFont.width("100%", scale);
        int barX = 2 + labelW + 2 * scale;
        int barW = w - barX - pctW - 4 * scale;
        int y = y0;
        for (Map.Entry<String, Integer> e : entries) {
            double pct = d.percent(e.getKey());
            BitmapFont.draw(c.g, abbreviate(e.getKey()), 2, y, scale, c.fg());
            int barH = BitmapFont.height(scale);
            if (!c.mono()) {
                c.fill(barX, y, barW, barH, BAR_BG);
            }
            int len = (int) Math.round(barW * pct / 100.0);
            c.fill(barX, y, len, barH, classColour(e.getKey(), c.mono()));
            String p = Math.round(pct) + "%";
            BitmapFont.draw(c.g, p, w - 2 - BitmapFont.width(p, scale), y, scale, c.fg());
            y += rowH;
        }
    }

    // ---- status bar and banner ------------------------------------------------------------------

    private void drawStatusBar(Canvas c, String title, LinkStatus link, StorageStatus storage) {
        int scale = c.mono() ? 1 : 2;
        int h = c.bodyTop() - (c.mono() ? 2 : 3);
        c.fill(0, 0, c.width(), h, c.mono() ? c.bg() : BAR_BG);
        if (c.mono()) {
            c.fill(0, h, c.width(), 1, c.fg());
        }
        int left = drawLink(c, link, scale);
        if (!storage.writable()) {
            // left of the link: the unsaved fields are what the operator must not lose
            left = drawIndicator(c, ICON_DISK, BAD, storage.fieldsInMemory(), left - 3 * scale, scale);
        }
        BitmapFont.draw(c.g, BitmapFont.clip(title, left - 2 - 2 * scale, scale), 2, c.mono() ? 0 : 3, scale, c.fg());
    }

    /** The broker link indicator at the right end; returns its left edge. */
    private int drawLink(Canvas c, LinkStatus link, int scale) {
        String[] icon;
        Color colour;
        if (!link.brokerOnline()) {
            icon = ICON_OFFLINE;
            colour = BAD;
        } else if (link.messagesWaiting() > 0) {
            icon = ICON_QUEUE;
            colour = WARN;
        } else {
            icon = ICON_OK;
            colour = GOOD;
        }
        return drawIndicator(c, icon, colour, link.messagesWaiting(), c.width() - 2, scale);
    }

    /** An icon followed by {@code count} (when above 0), ending at {@code right}; returns its left edge. */
    private static int drawIndicator(Canvas c, String[] icon, Color colour, long count, int right, int scale) {
        String text = count > 0 ? Long.toString(Math.min(count, 99_999)) : "";
        int y = c.mono() ? 0 : 3;
        if (!text.isEmpty()) {
            right -= BitmapFont.width(text, scale);
            BitmapFont.draw(c.g, text, right, y, scale, c.colour(colour));
            right -= 2 * scale;
        }
        drawIcon(c, icon, right - 7 * scale, y, scale, c.colour(colour));
        return right - 7 * scale;
    }

    private void drawBanner(Canvas c, Screen.Banner b) {
        boolean abnormal = b.kind() == Alert.Kind.ABNORMAL;
        String head = (abnormal ? "ABNORMAL" : "REVIEW") + (b.held() > 1 ? " +" + (b.held() - 1) : "");
        String label = b.label().toUpperCase(Locale.ROOT) + (abnormal ? "" : "?");
        String prob = Math.round(b.probability() * 100) + "%";
        String pct = prob + (abnormal ? " OK=ACK" : "");
        int w = c.width();
        if (c.mono()) {
            // bottom of the screen, inverted; the count above stays readable
            int y = c.height() - 26;
            c.fill(0, y, w, 26, c.fg());
            BitmapFont.draw(c.g, head, 2, y + 2, 1, c.bg());
            BitmapFont.draw(c.g, prob, w - 2 - BitmapFont.width(prob, 1), y + 2, 1, c.bg());
            int labelW = w - 4;
            if (abnormal) {
                String ack = "OK=ACK";
                labelW -= BitmapFont.width(ack, 1) + 4;
                BitmapFont.draw(c.g, ack, w - 2 - BitmapFont.width(ack, 1), y + 15, 1, c.bg());
            }
            int ls = BitmapFont.fitScale(label, labelW, 2);
            BitmapFont.draw(c.g, BitmapFont.clip(label, labelW, ls), 2, y + 11, ls, c.bg());
            return;
        }
        // colour: over the image (square panel: top) or the legend (landscape: bottom); the count stays readable
        int h = 72;
        int y = c.width() > c.height() ? c.height() - h : c.bodyTop();
        Color bg = abnormal ? new Color(170, 20, 20) : REVIEW;
        Color fg = abnormal ? Color.WHITE : Color.BLACK;
        c.fill(0, y, w, h, bg);
        int tx = 6;
        if (b.crop().isPresent()) {
            c.fill(4, y + 4, h - 8, h - 8, Color.BLACK);
            drawScaled(c, b.crop().get(), 6, y + 6, h - 12, h - 12);
            tx = h + 2;
        }
        int tw = w - tx - 4;
        BitmapFont.draw(c.g, BitmapFont.clip(head, tw, 2), tx, y + 5, 2, fg);
        int ls = BitmapFont.fitScale(label, tw, 3);
        BitmapFont.draw(c.g, BitmapFont.clip(label, tw, ls), tx, y + 26, ls, fg);
        BitmapFont.draw(c.g, BitmapFont.clip(pct, tw, 2), tx, y + 53, 2, fg);
    }

    private static void drawIcon(Canvas c, String[] icon, int x, int y, int scale, Color colour) {
        c.g.setColor(colour);
        for (int r = 0; r < icon.length; r++) {
            for (int col = 0; col < icon[r].length(); col++) {
                if (icon[r].charAt(col) == '#') {
                    c.g.fillRect(x + col * scale, y + r * scale, scale, scale);
                }
            }
        }
    }

    // ---- pixels ---------------------------------------------------------------------------------

    private record Placed(int x, int y, int w, int h) {
    }

    /**
     * Draws {@code img} scaled to fit {@code w x h} (aspect kept, centred), averaging each output
     * pixel's source area in integer arithmetic: deterministic, unlike the JDK's interpolation paths.
     */
    private static Placed drawScaled(Canvas c, BgrImage img, int x, int y, int w, int h) {
        int tw;
        int th;
        if ((long) img.width() * h >= (long) img.height() * w) {
            tw = w;
            th = Math.max(1, (int) ((long) img.height() * w / img.width()));
        } else {
            th = h;
            tw = Math.max(1, (int) ((long) img.width() * h / img.height()));
        }
        int ox = x + (w - tw) / 2;
        int oy = y + (h - th) / 2;
        BufferedImage out = new BufferedImage(tw, th, BufferedImage.TYPE_INT_RGB);
        for (int ty = 0; ty < th; ty++) {
            int sy0 = (int) ((long) ty * img.height() / th);
            int sy1 = Math.max(sy0 + 1, (int) ((long) (ty + 1) * img.height() / th));
            for (int tx = 0; tx < tw; tx++) {
                int sx0 = (int) ((long) tx * img.width() / tw);
                int sx1 = Math.max(sx0 + 1, (int) ((long) (tx + 1) * img.width() / tw));
                long r = 0;
                long gr = 0;
                long b = 0;
                for (int sy = sy0; sy < sy1; sy++) {
                    for (int sx = sx0; sx < sx1; sx++) {
                        r += img.red(sx, sy);
                        gr += img.green(sx, sy);
                        b += img.blue(sx, sy);
                    }
                }
                long n = (long) (sy1 - sy0) * (sx1 - sx0);
                out.setRGB(tx, ty, (int) (r / n) << 16 | (int) (gr / n) << 8 | (int) (b / n));
            }
        }
        c.g.drawImage(out, ox, oy, null);
        return new Placed(ox, oy, tw, th);
    }

    /** 1-bit image: a pixel is lit when its luma is at least half. */
    static BufferedImage toBinary(BufferedImage rgb) {
        BufferedImage out = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < rgb.getHeight(); y++) {
            for (int x = 0; x < rgb.getWidth(); x++) {
                out.setRGB(x, y, lit(rgb.getRGB(x, y)) ? 0xFFFFFF : 0);
            }
        }
        return out;
    }

    static boolean lit(int rgb) {
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        return 299 * r + 587 * g + 114 * b >= 128_000;
    }

    // ---- classes --------------------------------------------------------------------------------

    /** The box/bar colour of a class; on monochrome panels everything is lit. */
    static Color classColour(String label, boolean mono) {
        if (mono) {
            return Color.WHITE;
        }
        return switch (label.toLowerCase(Locale.ROOT)) {
            case "neutrophil" -> new Color(70, 140, 255);
            case "lymphocyte" -> new Color(80, 210, 110);
            case "monocyte" -> new Color(250, 150, 40);
            case "eosinophil" -> new Color(255, 120, 200);
            case "basophil" -> new Color(170, 110, 255);
            case "ig", "erythroblast", "blast" -> BAD;
            case "review" -> REVIEW;
            default -> {
                Color[] spare = {new Color(60, 210, 230), new Color(200, 200, 120), new Color(150, 230, 200),
                    new Color(230, 160, 120)};
                yield spare[Math.floorMod(label.hashCode(), spare.length)];
            }
        };
    }

    /** Three-letter names for bars and legends. */
    static String abbreviate(String label) {
        return switch (label.toLowerCase(Locale.ROOT)) {
            case "neutrophil" -> "NEU";
            case "lymphocyte" -> "LYM";
            case "monocyte" -> "MON";
            case "eosinophil" -> "EOS";
            case "basophil" -> "BAS";
            case "erythroblast" -> "ERB";
            case "platelet" -> "PLT";
            case "review" -> "REV";
            default -> label.toUpperCase(Locale.ROOT).substring(0, Math.min(3, label.length()));
        };
    }

    /** Splits {@code text} into lines that fit {@code w} pixels at {@code scale}. */
    static List<String> wrap(String text, int w, int scale) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.strip().split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            String candidate = line.length() == 0 ? word : line + " " + word;
            if (BitmapFont.width(candidate, scale) <= w || line.length() == 0) {
                line.setLength(0);
                line.append(BitmapFont.clip(candidate, w, scale));
            } else {
                lines.add(line.toString());
                line.setLength(0);
                line.append(BitmapFont.clip(word, w, scale));
            }
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }

    /** Graphics plus the panel's palette rules. */
    private static final class Canvas {
        final Graphics2D g;
        final PanelSpec panel;

        Canvas(Graphics2D g, PanelSpec panel) {
            this.g = g;
            this.panel = panel;
        }

        boolean mono() {
            return !panel.colour();
        }

        int width() {
            return panel.width();
        }

        int height() {
            return panel.height();
        }

        int bodyTop() {
            return mono() ? 10 : 23;
        }

        Color fg() {
            return FG;
        }

        Color bg() {
            return mono() ? Color.BLACK : BG;
        }

        /** Accent colours become plain white on monochrome panels. */
        Color colour(Color accent) {
            return mono() ? FG : accent;
        }

        /** A one-pixel frame inside {@code (x, y, w, h)}, from filled rectangles (no stroke rules involved). */
        void outline(int x, int y, int w, int h, Color colour) {
            fill(x, y, w, 1, colour);
            fill(x, y + h - 1, w, 1, colour);
            fill(x, y, 1, h, colour);
            fill(x + w - 1, y, 1, h, colour);
        }

        void fill(int x, int y, int w, int h, Color colour) {
            if (w > 0 && h > 0) {
                g.setColor(colour);
                g.fillRect(x, y, w, h);
            }
        }
    }
}
