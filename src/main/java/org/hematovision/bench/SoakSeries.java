package org.hematovision.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Memory, descriptors and threads of the process sampled every few hundred fields over a long run,
 * with a robust (Theil–Sen) slope per metric over the second half (the first half is warm-up: JIT, heap
 * sizing, TF and OpenCV pools, the broker's buffers). A metric grows when its slope exceeds its limit
 * <em>and</em> the fitted rise over the window exceeds its noise floor, so the allocator's and the
 * GC's jitter on a short run is not called a leak while a steady leak of any useful size is.
 */
public final class SoakSeries {

    /** What is sampled, with its unit, default limit (per 1,000 fields) and noise floor. */
    public enum Metric {
        RESIDENT("resident MB", m -> m.residentBytes() / 1048576.0, 2.0, 24),
        HEAP("heap MB", m -> m.heapUsedBytes() / 1048576.0, 2.0, 16),
        JAVACPP("javacpp MB", m -> m.javacppBytes() / 1048576.0, 0.5, 4),
        JAVACPP_PHYSICAL("physical MB", m -> m.javacppPhysicalBytes() / 1048576.0, 2.0, 24),
        FDS("open fds", m -> m.openFileDescriptors(), 0.5, 3),
        THREADS("threads", m -> m.threads(), 0.5, 3);

        final String label;
        final ToDoubleFunction<ProcessMemory> value;
        final double defaultMaxSlope;
        final double noiseFloor;

        Metric(String label, ToDoubleFunction<ProcessMemory> value, double defaultMaxSlope, double noiseFloor) {
            this.label = label;
            this.value = value;
            this.defaultMaxSlope = defaultMaxSlope;
            this.noiseFloor = noiseFloor;
        }

        public String label() {
            return label;
        }

        public double defaultMaxSlope() {
            return defaultMaxSlope;
        }

        public double noiseFloor() {
            return noiseFloor;
        }

        public double of(ProcessMemory m) {
            return value.applyAsDouble(m);
        }
    }

    /** One reading, taken after {@code fields} analysed fields. */
    public record Point(long fields, long elapsedMillis, ProcessMemory memory) {
    }

    /**
     * Fitted growth of one metric over the second half.
     *
     * @param slopePerKiloField units per 1,000 fields
     * @param rise              fitted change over the window, in units
     */
    public record Fit(Metric metric, double slopePerKiloField, double rise, double maxSlope, boolean grows) {
    }

    private final List<Point> points = new ArrayList<>();

    public void add(Point p) {
        if (!points.isEmpty() && p.fields() <= points.get(points.size() - 1).fields()) {
            return; // one reading per field count (the final reading may repeat the last periodic one)
        }
        points.add(p);
    }

    public List<Point> points() {
        return List.copyOf(points);
    }

    /** The readings the slope is fitted over: those at or after half of the fields. */
    public List<Point> steadyState() {
        if (points.isEmpty()) {
            return List.of();
        }
        long half = points.get(points.size() - 1).fields() / 2;
        return points.stream().filter(p -> p.fields() >= half).toList();
    }

    /** Slopes of every metric against the limits ({@code maxSlopes} overrides the defaults). */
    public Map<Metric, Fit> fit(Map<Metric, Double> maxSlopes) {
        List<Point> window = steadyState();
        Map<Metric, Fit> out = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) {
            double max = maxSlopes.getOrDefault(m, m.defaultMaxSlope);
            if (window.size() < 3) {
                out.put(m, new Fit(m, Double.NaN, Double.NaN, max, false));
                continue;
            }
            double[] xs = window.stream().mapToDouble(p -> p.fields() / 1000.0).toArray();
            double[] ys = window.stream().mapToDouble(p -> m.of(p.memory())).toArray();
            double slope = slope(xs, ys);
            double rise = slope * (xs[xs.length - 1] - xs[0]);
            out.put(m, new Fit(m, slope, rise, max, slope > max && rise > m.noiseFloor));
        }
        return out;
    }

    /**
     * Theil–Sen slope of y over x: the median of the slopes between every pair of readings. Unlike
     * least squares, one reading caught in a GC or allocator spike cannot fake or hide a trend.
     */
    static double slope(double[] x, double[] y) {
        java.util.List<Double> slopes = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
                if (x[j] != x[i]) {
                    slopes.add((y[j] - y[i]) / (x[j] - x[i]));
                }
            }
        }
        if (slopes.isEmpty()) {
            return 0;
        }
        java.util.Collections.sort(slopes);
        int n = slopes.size();
        return n % 2 == 1 ? slopes.get(n / 2) : (slopes.get(n / 2 - 1) + slopes.get(n / 2)) / 2;
    }

    /** Median of a metric over the steady state (e.g. the resident memory the appliance settles at). */
    public double steadyMedian(Metric m) {
        double[] v = steadyState().stream().mapToDouble(p -> m.of(p.memory())).sorted().toArray();
        return v.length == 0 ? Double.NaN : v[v.length / 2];
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length == 0 ? 0 : s[s.length / 2];
    }

    public String table() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%8s %9s", "fields", "seconds"));
        for (Metric m : Metric.values()) {
            sb.append(String.format(Locale.ROOT, " %12s", m.label));
        }
        sb.append('\n');
        for (Point p : points) {
            sb.append(String.format(Locale.ROOT, "%8d %9.1f", p.fields(), p.elapsedMillis() / 1000.0));
            for (Metric m : Metric.values()) {
                sb.append(String.format(Locale.ROOT, " %12.1f", m.of(p.memory())));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** One small chart per metric (value against fields), the fitted line drawn over the steady state. */
    public void plot(Path png, Map<Metric, Fit> fits, String title) throws IOException {
        int cols = 3;
        int cellW = 420;
        int cellH = 260;
        int top = 36;
        Metric[] metrics = Metric.values();
        int rows = (metrics.length + cols - 1) / cols;
        BufferedImage img = new BufferedImage(cols * cellW, top + rows * cellH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(title, 12, 24);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            for (int i = 0; i < metrics.length; i++) {
                chart(g, metrics[i], fits.get(metrics[i]), (i % cols) * cellW, top + (i / cols) * cellH, cellW, cellH);
            }
        } finally {
            g.dispose();
        }
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(img, "png", png.toFile())) {
            throw new IOException("no PNG writer available for " + png);
        }
    }

    private void chart(Graphics2D g, Metric m, Fit fit, int x0, int y0, int w, int h) {
        int left = x0 + 56;
        int right = x0 + w - 14;
        int topY = y0 + 24;
        int bottom = y0 + h - 30;
        double maxX = Math.max(1, points.isEmpty() ? 1 : points.get(points.size() - 1).fields());
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (Point p : points) {
            double v = m.of(p.memory());
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (points.isEmpty()) {
            lo = 0;
            hi = 1;
        }
        // Axis from zero (or a little below the data) so a flat line looks flat and a rise is honest.
        lo = Math.min(0, lo);
        hi = hi <= lo ? lo + 1 : hi * 1.1;
        double span = hi - lo;
        g.setColor(Color.BLACK);
        String head = m.label + (fit == null || Double.isNaN(fit.slopePerKiloField()) ? ""
                : String.format(Locale.ROOT, "  slope %.2f/1k fields (max %.2f)%s", fit.slopePerKiloField(),
                fit.maxSlope(), fit.grows() ? "  GROWS" : ""));
        g.setColor(fit != null && fit.grows() ? Color.RED.darker() : Color.BLACK);
        g.drawString(head, x0 + 8, y0 + 16);
        g.setColor(Color.GRAY);
        g.drawRect(left, topY, right - left, bottom - topY);
        String axis = hi < 10 ? "%.2f" : "%.0f"; // small figures (JavaCPP's) must not all read "0"
        g.drawString(String.format(Locale.ROOT, axis, hi), x0 + 4, topY + 10);
        g.drawString(String.format(Locale.ROOT, axis, lo), x0 + 4, bottom);
        g.drawString("0", left, bottom + 14);
        g.drawString(String.format(Locale.ROOT, "%.0f fields", maxX), right - 70, bottom + 14);
        g.setColor(new Color(30, 90, 200));
        g.setStroke(new BasicStroke(1.6f));
        int px = -1;
        int py = -1;
        for (Point p : points) {
            int x = left + (int) Math.round((right - left) * p.fields() / maxX);
            int y = bottom - (int) Math.round((bottom - topY) * (m.of(p.memory()) - lo) / span);
            if (px >= 0) {
                g.drawLine(px, py, x, y);
            }
            g.fillOval(x - 2, y - 2, 4, 4);
            px = x;
            py = y;
        }
        List<Point> window = steadyState();
        if (fit != null && !Double.isNaN(fit.slopePerKiloField()) && window.size() >= 2) {
            double mean = median(window.stream().mapToDouble(p -> m.of(p.memory())).toArray());
            double meanX = median(window.stream().mapToDouble(p -> p.fields() / 1000.0).toArray());
            double xa = window.get(0).fields() / 1000.0;
            double xb = window.get(window.size() - 1).fields() / 1000.0;
            double ya = mean + fit.slopePerKiloField() * (xa - meanX);
            double yb = mean + fit.slopePerKiloField() * (xb - meanX);
            g.setColor(fit.grows() ? Color.RED : new Color(0, 150, 60));
            g.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
            g.drawLine(left + (int) Math.round((right - left) * xa * 1000 / maxX),
                    bottom - (int) Math.round((bottom - topY) * (ya - lo) / span),
                    left + (int) Math.round((right - left) * xb * 1000 / maxX),
                    bottom - (int) Math.round((bottom - topY) * (yb - lo) / span));
        }
        g.setStroke(new BasicStroke(1f));
    }
}
