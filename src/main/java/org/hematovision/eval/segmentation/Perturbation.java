package org.hematovision.eval.segmentation;

import java.util.SplittableRandom;
import org.hematovision.image.BgrImage;

/** Moderate, deterministic image degradations for the robustness table. */
public enum Perturbation {
    NONE("none"),
    NOISE("gaussian noise sigma 8"),
    BLUR("gaussian blur sigma 1.5"),
    BRIGHTER("brightness +25"),
    DARKER_LOW_CONTRAST("brightness -20, contrast x0.75"),
    COLOUR_SHIFT("colour shift B-12 G+6 R+12");

    private final String description;

    Perturbation(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The perturbed image; {@code seed} fixes the noise so runs repeat exactly. */
    public BgrImage apply(BgrImage img, long seed) {
        byte[] src = img.pixels();
        byte[] out = new byte[src.length];
        switch (this) {
            case NONE -> System.arraycopy(src, 0, out, 0, src.length);
            case NOISE -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                for (int i = 0; i < src.length; i++) {
                    out[i] = clamp((src[i] & 0xff) + 8.0 * gaussian(rnd));
                }
            }
            case BLUR -> {
                return Blur.gaussian(img, 1.5);
            }
            case BRIGHTER -> map(src, out, 1.0, 25, 25, 25);
            case DARKER_LOW_CONTRAST -> map(src, out, 0.75, -20 + 32, -20 + 32, -20 + 32);
            case COLOUR_SHIFT -> map(src, out, 1.0, -12, 6, 12);
            default -> throw new IllegalStateException("unhandled " + this);
        }
        return new BgrImage(img.width(), img.height(), out);
    }

    private static void map(byte[] src, byte[] out, double gain, double db, double dg, double dr) {
        for (int i = 0; i < src.length; i += 3) {
            out[i] = clamp(gain * (src[i] & 0xff) + db);
            out[i + 1] = clamp(gain * (src[i + 1] & 0xff) + dg);
            out[i + 2] = clamp(gain * (src[i + 2] & 0xff) + dr);
        }
    }

    private static double gaussian(SplittableRandom rnd) {
        // Box-Muller; SplittableRandom has no nextGaussian in Java 17.
        double u = 1.0 - rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    static byte clamp(double v) {
        return (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
    }
}
