package org.hematovision.eval.classifier;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Confusion-matrix and per-class bar PNGs drawn with Java2D. */
public final class EvalCharts {

    private EvalCharts() {
    }

    public static void confusionPng(ClassifierReport r, String title, Path file) throws IOException {
        int c = r.classes();
        int cell = 74, left = 130, top = 70, bottom = 40;
        int w = left + cell * (c + 1) + 20, h = top + cell * c + bottom + 30;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = start(img);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, 10, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("rows: true class, columns: predicted (last: review); cell = count, colour = row fraction", 10, 42);
        for (int p = 0; p <= c; p++) {
            String l = p < c ? r.labels().get(p) : "review";
            // Whole class names over the columns: a smaller font for the long ones rather than cut words.
            int size = 12;
            while (size > 8 && g.getFontMetrics(new Font(Font.SANS_SERIF, Font.PLAIN, size)).stringWidth(l) > cell - 6) {
                size--;
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
            g.drawString(l, left + p * cell + 3, top - 6);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int t = 0; t < c; t++) {
            g.setColor(Color.BLACK);
            g.drawString(r.labels().get(t) + " (" + r.support(t) + ")", 8, top + t * cell + cell / 2 + 5);
            for (int p = 0; p <= c; p++) {
                double frac = r.support(t) == 0 ? 0 : (double) r.confusion()[t][p] / r.support(t);
                Color fill = t == p ? new Color(1f - (float) frac * 0.8f, 1f - (float) frac * 0.3f, 1f - (float) frac * 0.8f)
                        : new Color(1f, 1f - (float) Math.min(1, frac * 8) * 0.7f, 1f - (float) Math.min(1, frac * 8) * 0.7f);
                g.setColor(fill);
                g.fillRect(left + p * cell, top + t * cell, cell, cell);
                g.setColor(Color.GRAY);
                g.drawRect(left + p * cell, top + t * cell, cell, cell);
                g.setColor(Color.BLACK);
                String s = Integer.toString(r.confusion()[t][p]);
                g.drawString(s, left + p * cell + cell / 2 - 4 * s.length(), top + t * cell + cell / 2 + 5);
            }
        }
        g.drawString(String.format("balanced accuracy %.2f%%  macro F1 %.2f%%  review rate %.2f%%", 100 * r.balancedAccuracy(),
                100 * r.macroF1(), 100 * r.reviewRate()), 10, h - 15);
        g.dispose();
        write(img, file);
    }

    public static void perClassPng(ClassifierReport r, String title, Path file) throws IOException {
        int c = r.classes();
        int left = 110, top = 60, rowH = 48, barW = 520;
        int w = left + barW + 120, h = top + rowH * c + 50;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = start(img);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, 10, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        Color[] colours = {new Color(0x4C72B0), new Color(0xDD8452), new Color(0x55A868)};
        String[] names = {"precision", "recall", "F1"};
        for (int k = 0; k < 3; k++) {
            g.setColor(colours[k]);
            g.fillRect(10 + k * 110, 34, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(names[k], 26 + k * 110, 45);
        }
        double lo = 0.80;
        g.drawString("axis " + (int) (lo * 100) + "%..100%", left + barW - 80, 45);
        for (int t = 0; t < c; t++) {
            int y = top + t * rowH;
            g.setColor(Color.BLACK);
            g.drawString(r.labels().get(t), 8, y + rowH / 2 + 4);
            double[] v = {r.precision(t), r.recall(t), r.f1(t)};
            for (int k = 0; k < 3; k++) {
                int len = (int) Math.round(Math.max(0, (v[k] - lo) / (1 - lo)) * barW);
                g.setColor(colours[k]);
                g.fillRect(left, y + 4 + k * 13, len, 11);
                g.setColor(Color.BLACK);
                g.drawString(String.format("%.1f%%", 100 * v[k]), left + len + 4, y + 14 + k * 13);
            }
        }
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawLine(left, top - 4, left, top + rowH * c);
        g.dispose();
        write(img, file);
    }

    private static Graphics2D start(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        return g;
    }

    private static void write(BufferedImage img, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }
}
