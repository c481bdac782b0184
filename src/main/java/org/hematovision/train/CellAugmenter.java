package org.hematovision.train;

import java.util.SplittableRandom;

/**
 * Renders a single-cell image as network input ([S,S,3] RGB, normalized {@code (v - mean) / std}
 * with v in 0..1), either as the segmenter would cut it from a PBC-like field (square around the
 * centre, side = the image's shorter side) or with random changes for what the appliance meets and
 * PBC does not show: cell scale 0.7–1.4×, off-centre by up to 12% of the side, any rotation and a
 * flip, stain jitter in a haematoxylin/eosin colour-deconvolution space, hue/saturation/brightness/
 * contrast jitter, blur and sensor noise. Sampling is bilinear with 2×2 supersampling; outside the
 * image it mirrors (neighbouring red cells continue).
 */
public final class CellAugmenter {

    /** Ruifrok–Johnston stain vectors (OD per unit stain): haematoxylin, eosin, residual. */
    private static final double[][] STAIN = {
            {0.65, 0.70, 0.29},
            {0.07, 0.99, 0.11},
            {0.27, 0.57, 0.78},
    };
    private static final double[][] STAIN_INV = invert(STAIN);

    private final int size;
    private final float[] mean;
    private final float[] std;

    public CellAugmenter(int size, float[] mean, float[] std) {
        if (size < 32 || size > 512) {
            throw new IllegalArgumentException("input size must be 32..512, got " + size);
        }
        this.size = size;
        this.mean = mean.clone();
        this.std = std.clone();
    }

    public int size() {
        return size;
    }

    /** The centred crop without changes (what evaluation feeds). */
    public float[] centred(RgbImage img) {
        float[] out = new float[size * size * 3];
        sample(img, 1.0, 0, false, 0, 0, out);
        normalize(out);
        return out;
    }

    /** A randomly changed crop; the same {@code rnd} state gives the same result. */
    public float[] augmented(RgbImage img, SplittableRandom rnd) {
        double zoom = Math.exp(uniform(rnd, Math.log(0.7), Math.log(1.4)));
        double angle = rnd.nextDouble() * 2 * Math.PI;
        boolean flip = rnd.nextBoolean();
        double side = Math.min(img.width(), img.height()) / zoom;
        double dx = uniform(rnd, -0.12, 0.12) * side;
        double dy = uniform(rnd, -0.12, 0.12) * side;
        float[] out = new float[size * size * 3];
        sample(img, zoom, angle, flip, dx, dy, out);
        if (rnd.nextDouble() < 0.8) {
            stainJitter(out, rnd);
        }
        colourJitter(out, rnd);
        if (rnd.nextDouble() < 0.25) {
            blur(out, size, uniform(rnd, 0.4, 1.3));
        }
        if (rnd.nextDouble() < 0.3) {
            double sigma = uniform(rnd, 0.005, 0.03);
            for (int i = 0; i < out.length; i++) {
                out[i] += (float) (rnd.nextGaussian() * sigma);
            }
        }
        normalize(out);
        return out;
    }

    private static double uniform(SplittableRandom rnd, double lo, double hi) {
        return lo + (hi - lo) * rnd.nextDouble();
    }

    /** Fills {@code out} with RGB in 0..1 sampled from the square of side {@code shorter/zoom}. */
    private void sample(RgbImage img, double zoom, double angle, boolean flip, double dx, double dy, float[] out) {
        int w = img.width(), h = img.height();
        byte[] px = img.rgb();
        double side = Math.min(w, h) / zoom;
        double step = side / size;
        double cx = w / 2.0 + dx, cy = h / 2.0 + dy;
        double cos = Math.cos(angle), sin = Math.sin(angle);
        double[] sub = {-0.25, 0.25};
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                float r = 0, g = 0, b = 0;
                for (double si : sub) {
                    for (double sj : sub) {
                        double u = (j + 0.5 + sj - size / 2.0) * step;
                        double v = (i + 0.5 + si - size / 2.0) * step;
                        if (flip) {
                            u = -u;
                        }
                        double x = cx + cos * u - sin * v - 0.5;
                        double y = cy + sin * u + cos * v - 0.5;
                        x = mirror(x, w);
                        y = mirror(y, h);
                        int x0 = (int) x, y0 = (int) y;
                        int x1 = Math.min(x0 + 1, w - 1), y1 = Math.min(y0 + 1, h - 1);
                        float fx = (float) (x - x0), fy = (float) (y - y0);
                        int a = (y0 * w + x0) * 3, bb = (y0 * w + x1) * 3, c = (y1 * w + x0) * 3, d = (y1 * w + x1) * 3;
                        float w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
                        r += w00 * (px[a] & 0xff) + w01 * (px[bb] & 0xff) + w10 * (px[c] & 0xff) + w11 * (px[d] & 0xff);
                        g += w00 * (px[a + 1] & 0xff) + w01 * (px[bb + 1] & 0xff) + w10 * (px[c + 1] & 0xff) + w11 * (px[d + 1] & 0xff);
                        b += w00 * (px[a + 2] & 0xff) + w01 * (px[bb + 2] & 0xff) + w10 * (px[c + 2] & 0xff) + w11 * (px[d + 2] & 0xff);
                    }
                }
                int o = (i * size + j) * 3;
                out[o] = r / (4 * 255f);
                out[o + 1] = g / (4 * 255f);
                out[o + 2] = b / (4 * 255f);
            }
        }
    }

    /** Reflects a coordinate into [0, n-1]. */
    private static double mirror(double x, int n) {
        double max = n - 1;
        if (max <= 0) {
            return 0;
        }
        double period = 2 * max;
        x = x % period;
        if (x < 0) {
            x += period;
        }
        return x > max ? period - x : x;
    }

    private static void stainJitter(float[] px, SplittableRandom rnd) {
        double[] alpha = new double[3], beta = new double[3];
        for (int k = 0; k < 3; k++) {
            alpha[k] = uniform(rnd, 0.8, 1.2);
            beta[k] = uniform(rnd, -0.06, 0.06);
        }
        double[] od = new double[3], conc = new double[3];
        for (int p = 0; p < px.length; p += 3) {
            for (int c = 0; c < 3; c++) {
                od[c] = -Math.log(Math.max(px[p + c], 1e-3));
            }
            for (int k = 0; k < 3; k++) {
                double s = od[0] * STAIN_INV[0][k] + od[1] * STAIN_INV[1][k] + od[2] * STAIN_INV[2][k];
                conc[k] = s * alpha[k] + beta[k];
            }
            for (int c = 0; c < 3; c++) {
                double o = conc[0] * STAIN[0][c] + conc[1] * STAIN[1][c] + conc[2] * STAIN[2][c];
                px[p + c] = (float) Math.exp(-o);
            }
        }
    }

    private static void colourJitter(float[] px, SplittableRandom rnd) {
        double brightness = uniform(rnd, 0.8, 1.2);
        double contrast = uniform(rnd, 0.75, 1.25);
        double saturation = uniform(rnd, 0.7, 1.3);
        double hue = uniform(rnd, -0.25, 0.25); // radians in the YIQ chroma plane
        double cosH = Math.cos(hue), sinH = Math.sin(hue);
        double meanLum = 0;
        for (int p = 0; p < px.length; p += 3) {
            meanLum += 0.299 * px[p] + 0.587 * px[p + 1] + 0.114 * px[p + 2];
        }
        meanLum /= px.length / 3.0;
        for (int p = 0; p < px.length; p += 3) {
            double r = px[p], g = px[p + 1], b = px[p + 2];
            double y = 0.299 * r + 0.587 * g + 0.114 * b;
            double i = 0.596 * r - 0.274 * g - 0.322 * b;
            double q = 0.211 * r - 0.523 * g + 0.312 * b;
            double i2 = (i * cosH - q * sinH) * saturation;
            double q2 = (i * sinH + q * cosH) * saturation;
            y = ((y - meanLum) * contrast + meanLum) * brightness;
            px[p] = (float) (y + 0.956 * i2 + 0.621 * q2);
            px[p + 1] = (float) (y - 0.272 * i2 - 0.647 * q2);
            px[p + 2] = (float) (y - 1.106 * i2 + 1.703 * q2);
        }
    }

    /** Separable Gaussian blur of an interleaved RGB [size,size,3] buffer, clamped edges. */
    static void blur(float[] px, int size, double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        float[] k = new float[2 * radius + 1];
        float sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = (float) Math.exp(-i * i / (2 * sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        float[] tmp = new float[px.length];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                for (int c = 0; c < 3; c++) {
                    float acc = 0;
                    for (int t = -radius; t <= radius; t++) {
                        int xx = Math.min(size - 1, Math.max(0, x + t));
                        acc += k[t + radius] * px[(y * size + xx) * 3 + c];
                    }
                    tmp[(y * size + x) * 3 + c] = acc;
                }
            }
        }
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                for (int c = 0; c < 3; c++) {
                    float acc = 0;
                    for (int t = -radius; t <= radius; t++) {
                        int yy = Math.min(size - 1, Math.max(0, y + t));
                        acc += k[t + radius] * tmp[(yy * size + x) * 3 + c];
                    }
                    px[(y * size + x) * 3 + c] = acc;
                }
            }
        }
    }

    private void normalize(float[] px) {
        for (int p = 0; p < px.length; p += 3) {
            for (int c = 0; c < 3; c++) {
                float v = Math.min(1f, Math.max(0f, px[p + c]));
                px[p + c] = (v - mean[c]) / std[c];
            }
        }
    }

    private static double[][] invert(double[][] m) {
        double a = m[0][0], b = m[0][1], c = m[0][2], d = m[1][0], e = m[1][1], f = m[1][2], g = m[2][0], h = m[2][1], i = m[2][2];
        double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
        return new double[][] {
                {(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det},
                {(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det},
                {(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det},
        };
    }
}
