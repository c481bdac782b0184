package org.hematovision.capture.synthetic;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.MultipleGradientPaint;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.TexturePaint;
import java.awt.geom.AffineTransform;
import java.awt.geom.Arc2D;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.hematovision.image.BgrImage;
import org.hematovision.image.Box;
import org.hematovision.image.ImageMats;
import org.hematovision.segment.CellKind;

/**
 * Draws blood-smear fields of our own: May-Grünwald-Giemsa-like colours, red cells with central pallor
 * that touch and overlap, white cells with class-typical nuclei and cytoplasm, platelets, then the
 * camera: slight optical blur, vignetting, uneven background and sensor noise. Deterministic per seed;
 * the sizes follow {@link SmearParams#micronsPerPixel()} so one generator covers 40× to 100× fields.
 *
 * <p>Rendering is split so that {@link SyntheticSource} can move the slide under a fixed camera:
 * {@link #renderSlide} is the slide content (including the slight optical blur), {@link #camera} adds
 * what belongs to the camera (vignetting, noise) to any view of it.
 */
public final class SyntheticSmear {

    /** Typical red cell diameter. */
    public static final double RBC_DIAMETER_UM = 7.5;

    private static final int NOISE_TABLE = 1 << 16;

    private final SmearParams params;
    private final float[] vignette;
    private final byte[] noiseTable;

    public SyntheticSmear(SmearParams params) {
        this.params = params;
        this.vignette = vignetteGains(params.width(), params.height(), params.vignetting());
        this.noiseTable = noiseTable(params.noiseSigma());
    }

    public SmearParams params() {
        return params;
    }

    /** A complete field as the camera sees it. */
    public SyntheticField generate(long seed) {
        SyntheticField slide = renderSlide(seed);
        return new SyntheticField(camera(slide.image(), new Random(seed ^ 0x5DEECE66DL)), slide.micronsPerPixel(),
                slide.cells());
    }

    /** Applies vignetting and fresh sensor noise to a view of the slide of this generator's size. */
    public BgrImage camera(BgrImage view, Random rng) {
        if (view.width() != params.width() || view.height() != params.height()) {
            throw new IllegalArgumentException("view " + view + " does not match the generator size "
                    + params.width() + "x" + params.height());
        }
        byte[] src = view.pixels();
        byte[] out = new byte[src.length];
        int mask = NOISE_TABLE - 1;
        int n = rng.nextInt(NOISE_TABLE);
        int stride = 1 + 2 * rng.nextInt(1000); // odd, so the walk covers the whole table
        for (int p = 0, i = 0; p < vignette.length; p++) {
            float g = vignette[p];
            for (int c = 0; c < 3; c++, i++) {
                n = (n + stride) & mask;
                int v = Math.round((src[i] & 0xff) * g) + noiseTable[n];
                out[i] = (byte) (v < 0 ? 0 : Math.min(v, 255));
            }
        }
        return new BgrImage(params.width(), params.height(), out);
    }

    /** The slide content for {@code seed}: cells and stain, optical blur, but no camera effects. */
    public SyntheticField renderSlide(long seed) {
        Random rng = new Random(seed);
        int w = params.width();
        int h = params.height();
        double px = 1.0 / params.micronsPerPixel(); // pixels per micron
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_SPEED);
            paintBackground(g, rng, w, h);
            List<TruthCell> cells = new ArrayList<>();
            List<double[]> whites = placeWhiteCells(rng, w, h, px);
            List<double[]> reds = placeRedCells(rng, w, h, px, whites);
            for (double[] r : reds) {
                cells.add(new TruthCell(CellKind.RBC, "rbc", drawRedCell(g, rng, r[0], r[1], r[2], w, h)));
            }
            List<String> labels = drawLabels(rng);
            for (int i = 0; i < whites.size(); i++) {
                double[] c = whites.get(i);
                String label = labels.get(i);
                if (label.equals("platelet")) {
                    cells.add(new TruthCell(CellKind.PLATELET, label, drawPlatelet(g, rng, c[0], c[1], px, w, h)));
                } else {
                    cells.add(new TruthCell(CellKind.WBC, label, drawWhiteCell(g, rng, label, c[0], c[1], c[2], px, w, h)));
                }
            }
            for (int i = 0; i < params.plateletCount(); i++) {
                double x = rng.nextDouble() * w;
                double y = rng.nextDouble() * h;
                cells.add(new TruthCell(CellKind.PLATELET, "platelet", drawPlatelet(g, rng, x, y, px, w, h)));
            }
            byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            BgrImage sharp = new BgrImage(w, h, data.clone());
            return new SyntheticField(blur(sharp, params.blurSigmaPx()), params.micronsPerPixel(), cells);
        } finally {
            g.dispose();
        }
    }

    /** Gaussian blur (defocus, optics); sigma 0 returns the image unchanged. */
    public static BgrImage blur(BgrImage image, double sigma) {
        if (sigma <= 0) {
            return image;
        }
        try (Mat m = ImageMats.toMat(image); Mat out = new Mat(); Size k = new Size(0, 0)) {
            opencv_imgproc.GaussianBlur(m, out, k, sigma, sigma, org.bytedeco.opencv.global.opencv_core.BORDER_REFLECT,
                    org.bytedeco.opencv.global.opencv_core.ALGO_HINT_DEFAULT);
            return ImageMats.fromMat(out);
        }
    }

    // ---------------------------------------------------------------- layout

    private List<String> drawLabels(Random rng) {
        List<String> names = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        double total = 0;
        for (Map.Entry<String, Double> e : params.classMix().entrySet()) {
            names.add(e.getKey());
            weights.add(e.getValue());
            total += e.getValue();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < params.wbcCount(); i++) {
            double u = rng.nextDouble() * total;
            int k = 0;
            while (k < names.size() - 1 && (u -= weights.get(k)) >= 0) {
                k++;
            }
            out.add(names.get(k));
        }
        return out;
    }

    /** White cells: apart from each other and inside the image (a field's border cells are not counted). */
    private List<double[]> placeWhiteCells(Random rng, int w, int h, double px) {
        List<double[]> out = new ArrayList<>();
        double r = 10.5 * px; // room for the largest (monocyte)
        for (int i = 0; i < params.wbcCount(); i++) {
            double[] best = null;
            for (int attempt = 0; attempt < 200; attempt++) {
                double x = r + rng.nextDouble() * Math.max(1, w - 2 * r);
                double y = r + rng.nextDouble() * Math.max(1, h - 2 * r);
                best = new double[] {x, y, r};
                if (out.stream().allMatch(o -> Math.hypot(o[0] - x, o[1] - y) > 2.1 * r)) {
                    break;
                }
            }
            out.add(best);
        }
        return out;
    }

    /**
     * Red cells: mostly side by side, touching and overlapping by up to a quarter of their width where
     * crowded, never hidden under a white cell (their truth boxes would lie). The requested number is
     * always drawn: when the field is full, the allowed overlap grows.
     */
    private List<double[]> placeRedCells(Random rng, int w, int h, double px, List<double[]> whites) {
        List<double[]> out = new ArrayList<>();
        double meanR = RBC_DIAMETER_UM / 2 * px;
        double minSep = 0.75;
        int failures = 0;
        while (out.size() < params.rbcCount()) {
            double r = meanR * (1 + 0.06 * rng.nextGaussian());
            double x = -0.3 * r + rng.nextDouble() * (w + 0.6 * r);
            double y = -0.3 * r + rng.nextDouble() * (h + 0.6 * r);
            boolean ok = true;
            for (double[] o : whites) {
                if (Math.hypot(o[0] - x, o[1] - y) < o[2] + 0.3 * r) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                for (double[] o : out) {
                    if (Math.hypot(o[0] - x, o[1] - y) < minSep * (o[2] + r)) {
                        ok = false;
                        break;
                    }
                }
            }
            if (ok) {
                out.add(new double[] {x, y, r});
                failures = 0;
            } else if (++failures > 300) {
                minSep *= 0.9; // crowded field: allow more overlap rather than draw fewer than asked
                failures = 0;
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- painting

    private static void paintBackground(Graphics2D g, Random rng, int w, int h) {
        // Plasma/glass background, slightly uneven across the field (stain thickness, lamp).
        // Cream, as May-Grünwald-Giemsa plasma looks under a warm lamp.
        Color a = jitter(new Color(248, 234, 214), rng, 4);
        Color b = jitter(new Color(240, 228, 212), rng, 4);
        double angle = rng.nextDouble() * Math.PI * 2;
        float cx = w / 2f;
        float cy = h / 2f;
        float dx = (float) (Math.cos(angle) * w / 2);
        float dy = (float) (Math.sin(angle) * h / 2);
        g.setPaint(new GradientPaint(cx - dx, cy - dy, a, cx + dx, cy + dy, b));
        g.fillRect(0, 0, w, h);
    }

    private static Box drawRedCell(Graphics2D g, Random rng, double x, double y, double r, int w, int h) {
        // r is the outer radius: the outline is drawn inside it so that the cell measures 2r across.
        double stroke = Math.max(0.8, r * 0.05);
        double aspect = 1 + 0.06 * Math.abs(rng.nextGaussian());
        double rx = (r - stroke / 2) * aspect;
        double ry = (r - stroke / 2) / aspect;
        double angle = rng.nextDouble() * Math.PI;
        // Pale pinkish beige, darker at the thick rim, with a lighter centre (central pallor).
        Color body = jitter(new Color(214, 152, 156), rng, 5);
        Color rim = darker(body, 0.9);
        Color pallor = blend(body, new Color(240, 220, 212), 0.5 + 0.25 * rng.nextDouble());
        Shape cell = rotated(new Ellipse2D.Double(x - rx, y - ry, 2 * rx, 2 * ry), angle, x, y);
        g.setPaint(new RadialGradientPaint(new Point2D.Double(x, y), (float) Math.max(rx, ry),
                new float[] {0f, 0.3f, 0.72f, 1f},
                new Color[] {alpha(pallor, 220), alpha(pallor, 220), alpha(body, 225), alpha(rim, 235)},
                MultipleGradientPaint.CycleMethod.NO_CYCLE));
        g.fill(cell);
        g.setPaint(alpha(darker(body, 0.8), 120));
        g.setStroke(new BasicStroke((float) stroke));
        g.draw(cell);
        // Exact extent of the rotated ellipse plus half the outline (a Path's bounds include Bézier control points).
        double half = stroke / 2;
        double hx = Math.sqrt(sq(rx * Math.cos(angle)) + sq(ry * Math.sin(angle))) + half;
        double hy = Math.sqrt(sq(rx * Math.sin(angle)) + sq(ry * Math.cos(angle))) + half;
        return clip(new Rectangle2D.Double(x - hx, y - hy, 2 * hx, 2 * hy), w, h);
    }

    private static Box drawPlatelet(Graphics2D g, Random rng, double x, double y, double px, int w, int h) {
        double r = (1.0 + 0.5 * rng.nextDouble()) * px;
        Shape body = blob(x, y, r, r * (0.7 + 0.3 * rng.nextDouble()), 0.25, rng);
        g.setPaint(jitter(new Color(168, 118, 196), rng, 12));
        g.fill(body);
        granules(g, rng, body, new Color(104, 52, 140), 2 + rng.nextInt(4), 0.25 * px, 0.4 * px);
        return clip(body.getBounds2D(), w, h);
    }

    private static Box drawWhiteCell(Graphics2D g, Random rng, String label, double x, double y, double maxR,
                                     double px, int w, int h) {
        double angle = rng.nextDouble() * Math.PI * 2;
        // Nuclei are clipped to the cytoplasm, so that the truth box (the cytoplasm's bounds) stays tight.
        Shape oldClip = g.getClip();
        Shape cytoplasm;
        switch (label) {
            case "neutrophil" -> {
                // 14-16 um (white cells spread on a thin smear: in PBC images a neutrophil is about 2 red cells
                // wide); pale lilac-pink cytoplasm with fine granules; 3-5 dense lobes or a thick band.
                double r = (7.0 + 1.0 * rng.nextDouble()) * px;
                cytoplasm = blob(x, y, r, r * (0.9 + 0.08 * rng.nextDouble()), 0.04, rng);
                texture(g, rng, cytoplasm, 0.35 * px, jitter(new Color(232, 208, 220), rng, 5),
                        jitter(new Color(206, 166, 200), rng, 6), 0.5, 0.35);
                Shape nucleus = rng.nextDouble() < 0.25 ? bandNucleus(x, y, r, angle, rng) : segmentedNucleus(x, y, r, angle, rng);
                g.clip(cytoplasm);
                chromatin(g, rng, nucleus, px, new Color(104, 58, 150), new Color(52, 20, 96), 0.8, 0.45);
            }
            case "eosinophil" -> {
                // 14-16 um; cytoplasm packed with large orange-red granules; usually two dense lobes.
                double r = (7.0 + 1.0 * rng.nextDouble()) * px;
                cytoplasm = blob(x, y, r, r * (0.9 + 0.08 * rng.nextDouble()), 0.04, rng);
                texture(g, rng, cytoplasm, 0.55 * px, jitter(new Color(232, 150, 120), rng, 6),
                        jitter(new Color(200, 82, 60), rng, 6), 0.5, 0.18);
                Area nucleus = new Area();
                for (int side = -1; side <= 1; side += 2) {
                    double lx = x + side * 0.36 * r * Math.cos(angle);
                    double ly = y + side * 0.36 * r * Math.sin(angle);
                    nucleus.add(new Area(blob(lx, ly, 0.36 * r, 0.3 * r, 0.08, rng)));
                }
                nucleus.add(new Area(new BasicStroke((float) (0.12 * r)).createStrokedShape(new Line2D.Double(
                        x - 0.3 * r * Math.cos(angle), y - 0.3 * r * Math.sin(angle),
                        x + 0.3 * r * Math.cos(angle), y + 0.3 * r * Math.sin(angle)))));
                nucleus.intersect(new Area(cytoplasm));
                g.clip(cytoplasm);
                chromatin(g, rng, nucleus, px, new Color(100, 54, 140), new Color(54, 22, 92), 0.8, 0.4);
            }
            case "basophil" -> {
                // 13-15 um; the whole cell is a dark purple-black mass of coarse granules over a pale lilac
                // ground, hiding the nucleus; the granules roughen the outline.
                double r = (6.4 + 1.0 * rng.nextDouble()) * px;
                cytoplasm = blob(x, y, r, r * (0.88 + 0.1 * rng.nextDouble()), 0.1, rng);
                texture(g, rng, cytoplasm, 0.6 * px, jitter(new Color(206, 164, 206), rng, 6),
                        jitter(new Color(170, 120, 180), rng, 6), 0.5, 0.4);
                g.clip(cytoplasm);
                chromatin(g, rng, segmentedNucleus(x, y, r * 0.85, angle, rng), px, new Color(96, 52, 138),
                        new Color(70, 34, 112), 1.2, 0.5);
                texture(g, rng, cytoplasm, 0.6 * px, new Color(60, 20, 90, 0), new Color(36, 8, 60, 245), 0.45, 0.06);
            }
            case "lymphocyte" -> {
                // 10-12 um (small lymphocytes, spread); round nucleus with clumped chromatin nearly filling the cell,
                // an eccentric thin crescent of muted blue cytoplasm.
                double r = (4.8 + 1.0 * rng.nextDouble()) * px;
                cytoplasm = blob(x, y, r, r * (0.9 + 0.08 * rng.nextDouble()), 0.04, rng);
                texture(g, rng, cytoplasm, 0.6 * px, jitter(new Color(150, 146, 206), rng, 6),
                        jitter(new Color(112, 104, 182), rng, 6), 0.5, 0.4);
                double off = (0.1 + 0.08 * rng.nextDouble()) * r;
                double nr = (0.92 + 0.06 * rng.nextDouble()) * r;
                Area nucleus = new Area(blob(x + off * Math.cos(angle), y + off * Math.sin(angle), nr, nr * 0.92, 0.05, rng));
                nucleus.intersect(new Area(cytoplasm));
                g.clip(cytoplasm);
                chromatin(g, rng, nucleus, px, new Color(132, 80, 168), new Color(52, 18, 92), 0.8, 0.8);
            }
            case "monocyte" -> {
                // 17-20 um; grey-lilac cytoplasm with a few vacuoles; large folded/kidney nucleus, lacy chromatin.
                double r = (8.4 + 1.4 * rng.nextDouble()) * px;
                cytoplasm = blob(x, y, r, r * (0.85 + 0.1 * rng.nextDouble()), 0.08, rng);
                texture(g, rng, cytoplasm, 0.5 * px, jitter(new Color(206, 190, 212), rng, 6),
                        jitter(new Color(178, 160, 196), rng, 6), 0.5, 0.4);
                granules(g, rng, cytoplasm, new Color(236, 228, 240, 200), 2 + rng.nextInt(6), 0.3 * px, 0.7 * px);
                Area nucleus = new Area(blob(x, y, 0.72 * r, 0.6 * r, 0.16, rng));
                double bx = x + 0.62 * r * Math.cos(angle);
                double by = y + 0.62 * r * Math.sin(angle);
                double notch = (0.2 + 0.1 * rng.nextDouble()) * r;
                nucleus.subtract(new Area(new Ellipse2D.Double(bx - notch, by - notch, 2 * notch, 2 * notch)));
                g.clip(cytoplasm);
                chromatin(g, rng, rotated(nucleus, angle * 0.3, x, y), px, new Color(152, 104, 182),
                        new Color(84, 42, 130), 0.7, 0.6);
            }
            case "ig" -> {
                // 15-18 um (myelocytes, metamyelocytes): oval or kidney nucleus, less condensed; more cytoplasm,
                // lilac-blue with fine granules.
                double r = (7.4 + 1.6 * rng.nextDouble()) * px;
                cytoplasm = blob(x, y, r, r * (0.88 + 0.1 * rng.nextDouble()), 0.05, rng);
                texture(g, rng, cytoplasm, 0.35 * px, jitter(new Color(214, 192, 218), rng, 6),
                        jitter(new Color(180, 140, 190), rng, 6), 0.5, 0.3);
                double off = 0.14 * r;
                Area nucleus = new Area(blob(x - off * Math.cos(angle), y - off * Math.sin(angle),
                        0.58 * r, 0.5 * r, 0.05, rng));
                if (rng.nextDouble() < 0.6) {
                    double bx = x + 0.5 * r * Math.cos(angle);
                    double by = y + 0.5 * r * Math.sin(angle);
                    double notch = (0.16 + 0.1 * rng.nextDouble()) * r;
                    nucleus.subtract(new Area(new Ellipse2D.Double(bx - notch, by - notch, 2 * notch, 2 * notch)));
                }
                g.clip(cytoplasm);
                chromatin(g, rng, nucleus, px, new Color(128, 80, 166), new Color(76, 36, 120), 0.8, 0.35);
            }
            case "erythroblast" -> {
                // 9-11 um; very round, very dense dark nucleus in a rim of blue-grey to pinkish-grey cytoplasm.
                double r = (4.6 + 1.0 * rng.nextDouble()) * px;
                cytoplasm = blob(x, y, r, r * 0.95, 0.03, rng);
                g.setPaint(jitter(new Color(190, 176, 200), rng, 8));
                g.fill(cytoplasm);
                double off = 0.12 * r;
                double nr = (0.48 + 0.08 * rng.nextDouble()) * r;
                Shape nucleus = blob(x + off * Math.cos(angle), y + off * Math.sin(angle), nr, nr * 0.96, 0.02, rng);
                g.clip(cytoplasm);
                chromatin(g, rng, nucleus, px, new Color(60, 24, 90), new Color(34, 10, 56), 0.8, 0.3);
            }
            default -> throw new IllegalArgumentException("not a white-cell class: " + label);
        }
        g.setClip(oldClip);
        return clip(cytoplasm.getBounds2D(), w, h);
    }

    /** 3 to 5 lobes along a curve, linked by thin chromatin strands. */
    private static Shape segmentedNucleus(double x, double y, double r, double angle, Random rng) {
        int lobes = 3 + rng.nextInt(3);
        Area nucleus = new Area();
        double span = Math.PI * (0.9 + 0.5 * rng.nextDouble());
        double ring = 0.4 * r;
        double[] prev = null;
        Path2D strands = new Path2D.Double();
        for (int i = 0; i < lobes; i++) {
            double a = angle - span / 2 + span * i / (lobes - 1);
            double lx = x + ring * Math.cos(a) * (1 + 0.1 * rng.nextGaussian());
            double ly = y + ring * Math.sin(a) * (1 + 0.1 * rng.nextGaussian());
            double lr = (0.28 + 0.06 * rng.nextDouble()) * r;
            nucleus.add(new Area(blob(lx, ly, lr, lr * 0.8, 0.1, rng)));
            if (prev != null) {
                strands.moveTo(prev[0], prev[1]);
                strands.lineTo(lx, ly);
            }
            prev = new double[] {lx, ly};
        }
        nucleus.add(new Area(new BasicStroke((float) (0.1 * r), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)
                .createStrokedShape(strands)));
        return nucleus;
    }

    /** A band: one thick curved sausage without constrictions. */
    private static Shape bandNucleus(double x, double y, double r, double angle, Random rng) {
        double ring = 0.42 * r;
        double extent = 170 + 80 * rng.nextDouble();
        Arc2D arc = new Arc2D.Double(x - ring, y - ring, 2 * ring, 2 * ring,
                Math.toDegrees(-angle) - extent / 2, extent, Arc2D.OPEN);
        return new BasicStroke((float) ((0.3 + 0.06 * rng.nextDouble()) * r), BasicStroke.CAP_ROUND,
                BasicStroke.JOIN_ROUND).createStrokedShape(arc);
    }

    /**
     * Fills a nucleus with chromatin: a mesh of dark cords (the ridges of value noise) and clumps between a paler
     * and a darker purple, features about {@code grainUm} micrometres across; {@code contrast} 0 = flat, 1 = strongly
     * clumped.
     */
    private static void chromatin(Graphics2D g, Random rng, Shape nucleus, double px, Color pale, Color dark,
                                  double grainUm, double contrast) {
        Rectangle2D b = nucleus.getBounds2D();
        int x0 = (int) Math.floor(b.getMinX());
        int y0 = (int) Math.floor(b.getMinY());
        int tw = Math.max(1, (int) Math.ceil(b.getMaxX()) - x0);
        int th = Math.max(1, (int) Math.ceil(b.getMaxY()) - y0);
        double cell = Math.max(1.0, grainUm * px);
        float[] clumps = valueNoise(rng, tw, th, cell);
        float[] cords = valueNoise(rng, tw, th, Math.max(1.0, cell * 0.8));
        Color lo = jitter(pale, rng, 6);
        Color hi = jitter(dark, rng, 5);
        int[] argb = new int[tw * th];
        for (int i = 0; i < argb.length; i++) {
            double ridge = 1 - 2 * Math.abs(cords[i] - 0.5); // 1 on the cords, 0 between them
            double n = 0.5 * clumps[i] + 0.5 * ridge * ridge;
            double t = Math.max(0, Math.min(1, 0.5 + (n - 0.45) * (0.6 + 2.4 * contrast)));
            argb[i] = lerpArgb(lo, hi, t);
        }
        BufferedImage tex = new BufferedImage(tw, th, BufferedImage.TYPE_INT_ARGB);
        tex.setRGB(0, 0, tw, th, argb, 0, tw);
        g.setPaint(new TexturePaint(tex, new Rectangle2D.Double(x0, y0, tw, th)));
        g.fill(nucleus);
    }

    /**
     * Fills {@code region} with two-octave value noise (features about {@code grainPx} across) mapped from
     * {@code low} to {@code high} through a smooth step around {@code threshold} of half-width {@code softness}:
     * a wide step gives mottled chromatin, a narrow one separate granules (with a transparent {@code low}).
     */
    private static void texture(Graphics2D g, Random rng, Shape region, double grainPx, Color low, Color high,
                                double threshold, double softness) {
        Rectangle2D b = region.getBounds2D();
        int x0 = (int) Math.floor(b.getMinX());
        int y0 = (int) Math.floor(b.getMinY());
        int tw = Math.max(1, (int) Math.ceil(b.getMaxX()) - x0);
        int th = Math.max(1, (int) Math.ceil(b.getMaxY()) - y0);
        double cell = Math.max(1.0, grainPx);
        float[] coarse = valueNoise(rng, tw, th, cell);
        float[] fine = valueNoise(rng, tw, th, Math.max(1.0, cell / 2.3));
        int[] argb = new int[tw * th];
        double lo = threshold - softness;
        double span = Math.max(1e-3, 2 * softness);
        for (int i = 0; i < argb.length; i++) {
            double n = 0.62 * coarse[i] + 0.38 * fine[i];
            double t = Math.max(0, Math.min(1, (n - lo) / span));
            t = t * t * (3 - 2 * t);
            argb[i] = lerpArgb(low, high, t);
        }
        BufferedImage tex = new BufferedImage(tw, th, BufferedImage.TYPE_INT_ARGB);
        tex.setRGB(0, 0, tw, th, argb, 0, tw);
        g.setPaint(new TexturePaint(tex, new Rectangle2D.Double(x0, y0, tw, th)));
        g.fill(region);
    }

    /** Smooth random field in [0, 1], lattice values every {@code cell} pixels, smoothstep interpolation. */
    private static float[] valueNoise(Random rng, int w, int h, double cell) {
        int gw = (int) Math.ceil(w / cell) + 2;
        int gh = (int) Math.ceil(h / cell) + 2;
        float[] lattice = new float[gw * gh];
        for (int i = 0; i < lattice.length; i++) {
            lattice[i] = rng.nextFloat();
        }
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            double fy = y / cell;
            int iy = (int) fy;
            double ty = fy - iy;
            ty = ty * ty * (3 - 2 * ty);
            for (int x = 0; x < w; x++) {
                double fx = x / cell;
                int ix = (int) fx;
                double tx = fx - ix;
                tx = tx * tx * (3 - 2 * tx);
                int k = iy * gw + ix;
                double top = lattice[k] + (lattice[k + 1] - lattice[k]) * tx;
                double bottom = lattice[k + gw] + (lattice[k + gw + 1] - lattice[k + gw]) * tx;
                out[y * w + x] = (float) (top + (bottom - top) * ty);
            }
        }
        return out;
    }

    private static int lerpArgb(Color a, Color b, double t) {
        int al = (int) Math.round(a.getAlpha() + (b.getAlpha() - a.getAlpha()) * t);
        int r = (int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t);
        int gr = (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t);
        int bl = (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t);
        return al << 24 | r << 16 | gr << 8 | bl;
    }

    private static void granules(Graphics2D g, Random rng, Shape region, Color color, int count, double minR, double maxR) {
        Shape oldClip = g.getClip();
        g.clip(region);
        Rectangle2D b = region.getBounds2D();
        g.setPaint(color);
        for (int i = 0; i < count; i++) {
            double gx = b.getX() + rng.nextDouble() * b.getWidth();
            double gy = b.getY() + rng.nextDouble() * b.getHeight();
            double gr = minR + rng.nextDouble() * (maxR - minR);
            g.fill(new Ellipse2D.Double(gx - gr, gy - gr, 2 * gr, 2 * gr));
        }
        g.setClip(oldClip);
    }

    /** An irregular closed outline: an ellipse whose radius wobbles by {@code wobble} (relative). */
    private static Shape blob(double x, double y, double rx, double ry, double wobble, Random rng) {
        int n = 28;
        double p1 = rng.nextDouble() * 6.3;
        double p2 = rng.nextDouble() * 6.3;
        double rot = rng.nextDouble() * Math.PI;
        Path2D path = new Path2D.Double();
        for (int i = 0; i < n; i++) {
            double t = 2 * Math.PI * i / n;
            double k = 1 + wobble * (0.6 * Math.sin(2 * t + p1) + 0.4 * Math.sin(3 * t + p2));
            double ex = rx * k * Math.cos(t);
            double ey = ry * k * Math.sin(t);
            double px = x + ex * Math.cos(rot) - ey * Math.sin(rot);
            double py = y + ex * Math.sin(rot) + ey * Math.cos(rot);
            if (i == 0) {
                path.moveTo(px, py);
            } else {
                path.lineTo(px, py);
            }
        }
        path.closePath();
        return path;
    }

    private static Shape rotated(Shape s, double angle, double x, double y) {
        return AffineTransform.getRotateInstance(angle, x, y).createTransformedShape(s);
    }

    private static double sq(double v) {
        return v * v;
    }

    /** Rounded (not floored/ceiled, which would add a pixel on average) and clipped to the image. */
    private static Box clip(Rectangle2D r, int w, int h) {
        int x0 = (int) Math.max(0, Math.round(r.getMinX()));
        int y0 = (int) Math.max(0, Math.round(r.getMinY()));
        int x1 = (int) Math.min(w, Math.round(r.getMaxX()));
        int y1 = (int) Math.min(h, Math.round(r.getMaxY()));
        return new Box(x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0));
    }

    private static Color jitter(Color c, Random rng, int amount) {
        return new Color(clamp(c.getRed() + (int) (rng.nextGaussian() * amount)),
                clamp(c.getGreen() + (int) (rng.nextGaussian() * amount)),
                clamp(c.getBlue() + (int) (rng.nextGaussian() * amount)), c.getAlpha());
    }

    private static Color darker(Color c, double f) {
        return new Color(clamp((int) (c.getRed() * f)), clamp((int) (c.getGreen() * f)), clamp((int) (c.getBlue() * f)),
                c.getAlpha());
    }

    private static Color blend(Color a, Color b, double t) {
        return new Color(clamp((int) (a.getRed() * (1 - t) + b.getRed() * t)),
                clamp((int) (a.getGreen() * (1 - t) + b.getGreen() * t)),
                clamp((int) (a.getBlue() * (1 - t) + b.getBlue() * t)));
    }

    private static Color alpha(Color c, int a) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), a);
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static float[] vignetteGains(int w, int h, double strength) {
        float[] gains = new float[w * h];
        double cx = w / 2.0;
        double cy = h / 2.0;
        double maxR2 = cx * cx + cy * cy;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double r2 = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / maxR2;
                gains[y * w + x] = (float) (1 - strength * r2);
            }
        }
        return gains;
    }

    private static byte[] noiseTable(double sigma) {
        Random r = new Random(0x9E3779B97F4A7C15L); // fixed: the noise pattern is part of the camera, not the slide
        byte[] t = new byte[NOISE_TABLE];
        for (int i = 0; i < t.length; i++) {
            t[i] = (byte) Math.max(-127, Math.min(127, Math.round(r.nextGaussian() * sigma)));
        }
        return t;
    }
}
