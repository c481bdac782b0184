package org.hematovision.eval.classifier;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.hematovision.image.BgrImage;

/**
 * Image changes for the robustness table, applied to the whole cell image before the classifier's
 * own preprocessing, deterministic per image ({@code seed}).
 */
public enum Perturbation {
    NONE("none"),
    /** Additive Gaussian sensor noise, sigma 8 grey levels per channel. */
    NOISE("gaussian noise sigma=8/255"),
    /** Gaussian blur sigma 1.5 px of the source image (defocus). */
    BLUR("gaussian blur sigma=1.5px"),
    /** Other stain/white balance: red +12, blue -12 grey levels, saturation x0.85, brightness x1.05. */
    COLOUR("colour shift R+12 B-12 sat x0.85 bright x1.05"),
    /** Re-encoded as JPEG at quality 30. */
    JPEG("jpeg quality 30");

    private final String description;

    Perturbation(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    public BgrImage apply(BgrImage img, long seed) {
        return switch (this) {
            case NONE -> img;
            case NOISE -> noise(img, seed);
            case BLUR -> blur(img, 1.5);
            case COLOUR -> colour(img);
            case JPEG -> jpeg(img, 0.30f);
        };
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    private static BgrImage noise(BgrImage img, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] src = img.pixels();
        byte[] out = new byte[src.length];
        for (int i = 0; i < src.length; i++) {
            out[i] = (byte) clamp((src[i] & 0xff) + rnd.nextGaussian() * 8.0);
        }
        return new BgrImage(img.width(), img.height(), out);
    }

    private static BgrImage colour(BgrImage img) {
        byte[] src = img.pixels();
        byte[] out = new byte[src.length];
        for (int i = 0; i < src.length; i += 3) {
            double b = (src[i] & 0xff) - 12, g = src[i + 1] & 0xff, r = (src[i + 2] & 0xff) + 12;
            double y = 0.299 * r + 0.587 * g + 0.114 * b;
            out[i] = (byte) clamp((y + (b - y) * 0.85) * 1.05);
            out[i + 1] = (byte) clamp((y + (g - y) * 0.85) * 1.05);
            out[i + 2] = (byte) clamp((y + (r - y) * 0.85) * 1.05);
        }
        return new BgrImage(img.width(), img.height(), out);
    }

    private static BgrImage blur(BgrImage img, double sigma) {
        int w = img.width(), h = img.height();
        int radius = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        byte[] src = img.pixels();
        double[] tmp = new double[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    double acc = 0;
                    for (int t = -radius; t <= radius; t++) {
                        int xx = Math.min(w - 1, Math.max(0, x + t));
                        acc += k[t + radius] * (src[(y * w + xx) * 3 + c] & 0xff);
                    }
                    tmp[(y * w + x) * 3 + c] = acc;
                }
            }
        }
        byte[] out = new byte[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    double acc = 0;
                    for (int t = -radius; t <= radius; t++) {
                        int yy = Math.min(h - 1, Math.max(0, y + t));
                        acc += k[t + radius] * tmp[(yy * w + x) * 3 + c];
                    }
                    out[(y * w + x) * 3 + c] = (byte) clamp(acc);
                }
            }
        }
        return new BgrImage(w, h, out);
    }

    private static BgrImage jpeg(BgrImage img, float quality) {
        try {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                ImageWriteParam p = writer.getDefaultWriteParam();
                p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                p.setCompressionQuality(quality);
                writer.write(null, new IIOImage(img.toBufferedImage(), null, null), p);
            } finally {
                writer.dispose();
            }
            BufferedImage back = ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
            return BgrImage.fromBufferedImage(back);
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG re-encoding failed", e);
        }
    }
}
