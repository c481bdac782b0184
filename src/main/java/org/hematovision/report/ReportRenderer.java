package org.hematovision.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.hematovision.classify.Prediction;
import org.hematovision.image.BgrImage;
import org.hematovision.sample.DifferentialReport;
import org.hematovision.sample.Flag;

/**
 * The one-page PNG report: header, a bar graph of the differential with confidence-interval whiskers
 * over the reference intervals, the estimates, the flags, gallery thumbnails and what produced it.
 * Pure Java2D on a headless JVM; the same report always gives the same pixels on one JDK.
 */
public final class ReportRenderer {

    public static final int WIDTH = 1000;
    public static final int HEIGHT = 1200;
    /** Thumbnails shown on the page; the record keeps the whole gallery. */
    public static final int MAX_THUMBNAILS = 24;

    private static final int MARGIN = 40;
    private static final Color INK = new Color(0x20, 0x24, 0x2a);
    private static final Color MUTED = new Color(0x6b, 0x72, 0x80);
    private static final Color HEADER = new Color(0x0f, 0x4c, 0x5c);
    private static final Color BAR = new Color(0x3b, 0x82, 0xc4);
    private static final Color REVIEW_BAR = new Color(0x9c, 0xa3, 0xaf);
    private static final Color REFERENCE = new Color(0xd9, 0xf0, 0xdc);
    private static final Color FLAG = new Color(0xb4, 0x23, 0x18);
    private static final Color FLAG_BG = new Color(0xfd, 0xec, 0xea);
    private static final Color OK_BG = new Color(0xe8, 0xf5, 0xe9);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** A gallery entry with its pixels. */
    public record Thumbnail(GalleryItem item, BgrImage crop) {
    }

    public byte[] png(DifferentialReport r, DeviceInfo device, List<Thumbnail> gallery) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(render(r, device, gallery), "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the report PNG of " + r.sampleId(), e);
        }
    }

    public BufferedImage render(DifferentialReport r, DeviceInfo device, List<Thumbnail> gallery) {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            int y = header(g, r);
            y = chart(g, r, y + 24);
            y = summary(g, r, y + 16);
            y = flags(g, r, y + 16);
            gallery(g, gallery, y + 20);
            footer(g, r, device);
        } finally {
            g.dispose();
        }
        return img;
    }

    private int header(Graphics2D g, DifferentialReport r) {
        g.setColor(HEADER);
        g.fillRect(0, 0, WIDTH, 110);
        g.setColor(Color.WHITE);
        g.setFont(font(Font.BOLD, 28));
        g.drawString("White-cell differential", MARGIN, 48);
        g.setFont(font(Font.PLAIN, 16));
        g.drawString("Sample " + r.sampleId() + "   ·   " + TIME.format(r.started()) + " – " + TIME.format(r.finished()),
                MARGIN, 78);
        String status = r.aborted() ? "ABORTED" : r.complete() ? "COMPLETE" : "INCOMPLETE (" + r.reason() + ")";
        g.drawString(status + "   ·   " + r.leukocytes() + " of " + r.targetCells() + " leukocytes in " + r.fields()
                + " fields   ·   preliminary: verify before release", MARGIN, 100);
        return 110;
    }

    private int chart(Graphics2D g, DifferentialReport r, int top) {
        int labelW = 220;
        int valueW = 230;
        int x0 = MARGIN + labelW;
        int w = WIDTH - 2 * MARGIN - labelW - valueW;
        int rowH = 34;
        double max = axisMax(r);
        g.setFont(font(Font.BOLD, 16));
        g.setColor(INK);
        g.drawString(String.format(Locale.ROOT, "%% of leukocytes, with %.0f%% confidence interval", 100 * r.confidence()),
                MARGIN, top);
        int y = top + 18;
        // axis grid
        g.setFont(font(Font.PLAIN, 12));
        int rowsBottom = y + rowH * r.rows().size();
        for (int t = 0; t <= max; t += max > 50 ? 20 : 10) {
            int x = x0 + (int) Math.round(w * t / max);
            g.setColor(new Color(0xe5, 0xe7, 0xeb));
            g.drawLine(x, y, x, rowsBottom);
            g.setColor(MUTED);
            g.drawString(t + "%", x - 10, rowsBottom + 16);
        }
        for (DifferentialReport.CellTypeResult row : r.rows()) {
            int cy = y + rowH / 2;
            if (row.reference() != null) {
                int rx = x0 + (int) Math.round(w * row.reference().low() / max);
                int rw = (int) Math.round(w * (row.reference().high() - row.reference().low()) / max);
                g.setColor(REFERENCE);
                g.fillRect(rx, y + 3, Math.max(rw, 2), rowH - 6);
            }
            int bw = (int) Math.round(w * Math.min(row.percent(), max) / max);
            g.setColor(row.label().equals(Prediction.REVIEW) ? REVIEW_BAR : BAR);
            g.fillRect(x0, cy - 8, bw, 16);
            int lo = x0 + (int) Math.round(w * Math.min(row.ci().lowerPercent(), max) / max);
            int hi = x0 + (int) Math.round(w * Math.min(row.ci().upperPercent(), max) / max);
            g.setColor(INK);
            g.setStroke(new BasicStroke(2f));
            g.drawLine(lo, cy, hi, cy);
            g.drawLine(lo, cy - 7, lo, cy + 7);
            g.drawLine(hi, cy - 7, hi, cy + 7);
            g.setStroke(new BasicStroke(1f));
            boolean flagged = r.flags().stream().anyMatch(f -> f.label().equals(row.label()));
            g.setFont(font(flagged ? Font.BOLD : Font.PLAIN, 15));
            g.setColor(flagged ? FLAG : INK);
            g.drawString(FhirReport.displayName(row.label()), MARGIN, cy + 5);
            g.drawString(String.format(Locale.ROOT, "%3d  %5.1f%%  (%.1f–%.1f)", row.count(), row.percent(),
                    row.ci().lowerPercent(), row.ci().upperPercent()), x0 + w + 14, cy + 5);
            y += rowH;
        }
        g.setFont(font(Font.PLAIN, 12));
        g.setColor(MUTED);
        g.drawString("bar: measured %   whisker: exact binomial (Clopper–Pearson) interval   green: adult reference interval",
                MARGIN, rowsBottom + 36);
        return rowsBottom + 40;
    }

    private int summary(Graphics2D g, DifferentialReport r, int top) {
        g.setFont(font(Font.PLAIN, 15));
        g.setColor(INK);
        DifferentialReport.NrbcResult n = r.nrbc();
        String nrbcHigh = Double.isFinite(n.high()) ? String.format(Locale.ROOT, "%.1f", n.high()) : "∞";
        g.drawString(String.format(Locale.ROOT, "Nucleated red cells: %d  (%.1f per 100 leukocytes, %.0f%% CI %.1f–%s)",
                n.count(), n.per100(), 100 * r.confidence(), n.low(), nrbcHigh), MARGIN, top + 16);
        g.drawString(String.format(Locale.ROOT, "Red cells per field: %.0f (estimate)     Platelets per field: %.1f (estimate)",
                r.redCellsPerField(), r.plateletsPerField()), MARGIN, top + 40);
        return top + 48;
    }

    private int flags(Graphics2D g, DifferentialReport r, int top) {
        int lineH = 22;
        int h = 40 + lineH * Math.max(1, r.flags().size());
        g.setColor(r.flags().isEmpty() ? OK_BG : FLAG_BG);
        g.fillRoundRect(MARGIN, top, WIDTH - 2 * MARGIN, h, 12, 12);
        g.setFont(font(Font.BOLD, 16));
        g.setColor(r.flags().isEmpty() ? new Color(0x1b, 0x5e, 0x20) : FLAG);
        g.drawString(r.flags().isEmpty() ? "No flags" : "Flags (raised only when the whole interval clears the limit)",
                MARGIN + 14, top + 24);
        g.setFont(font(Font.PLAIN, 15));
        g.setColor(INK);
        int y = top + 24 + lineH;
        if (r.flags().isEmpty()) {
            g.drawString("Every interval includes its reference range, or no limit was cleared.", MARGIN + 14, y);
        }
        for (Flag f : r.flags()) {
            g.drawString("• " + f.text(), MARGIN + 14, y);
            y += lineH;
        }
        return top + h;
    }

    private void gallery(Graphics2D g, List<Thumbnail> gallery, int top) {
        g.setFont(font(Font.BOLD, 16));
        g.setColor(INK);
        g.drawString("Cells to look at: " + gallery.size() + (gallery.size() > MAX_THUMBNAILS
                ? " (first " + MAX_THUMBNAILS + " shown; all are in the record)" : ""), MARGIN, top);
        int size = 104;
        int gap = 12;
        int cols = (WIDTH - 2 * MARGIN + gap) / (size + gap);
        int maxY = HEIGHT - 70;
        g.setFont(font(Font.PLAIN, 11));
        for (int i = 0; i < Math.min(gallery.size(), MAX_THUMBNAILS); i++) {
            int x = MARGIN + (i % cols) * (size + gap);
            int y = top + 12 + (i / cols) * (size + 30);
            if (y + size + 20 > maxY) {
                break;
            }
            Thumbnail t = gallery.get(i);
            BufferedImage crop = t.crop().toBufferedImage();
            double s = Math.min((double) size / crop.getWidth(), (double) size / crop.getHeight());
            int dw = (int) Math.round(crop.getWidth() * s);
            int dh = (int) Math.round(crop.getHeight() * s);
            g.drawImage(crop, x + (size - dw) / 2, y + (size - dh) / 2, dw, dh, null);
            g.setColor(t.item().kind().equals("abnormal") ? FLAG : MUTED);
            g.drawRect(x, y, size, size);
            g.setColor(INK);
            FontMetrics fm = g.getFontMetrics();
            String caption = t.item().label() + (t.item().kind().equals("review") ? "?" : "") + " · f" + t.item().fieldIndex();
            g.drawString(caption, x + Math.max(0, (size - fm.stringWidth(caption)) / 2), y + size + 14);
        }
    }

    private void footer(Graphics2D g, DifferentialReport r, DeviceInfo d) {
        g.setColor(new Color(0xf3, 0xf4, 0xf6));
        g.fillRect(0, HEIGHT - 56, WIDTH, 56);
        g.setFont(font(Font.PLAIN, 12));
        g.setColor(MUTED);
        g.drawString("Device " + d.device() + "   ·   HematoVision " + d.software() + "   ·   model " + d.modelName() + " "
                + d.modelVersion(), MARGIN, HEIGHT - 34);
        g.drawString("Relative counts only (no leukocyte count). Automated pre-classification: a qualified person must "
                + "review the gallery before the result is used.", MARGIN, HEIGHT - 16);
    }

    private static double axisMax(DifferentialReport r) {
        double m = 0;
        for (DifferentialReport.CellTypeResult row : r.rows()) {
            m = Math.max(m, row.ci().upperPercent());
            if (row.reference() != null) {
                m = Math.max(m, row.reference().high());
            }
        }
        return m > 60 ? 100 : m > 40 ? 60 : m > 20 ? 40 : 20;
    }

    private static Font font(int style, int size) {
        return new Font(Font.SANS_SERIF, style, size);
    }
}
