package org.hematovision.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CellAugmenterTest {

    private static final float[] MEAN = {0.5f, 0.5f, 0.5f};
    private static final float[] STD = {0.5f, 0.5f, 0.5f};

    private static RgbImage gradient(int w, int h) {
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                px[o] = (byte) (x * 255 / (w - 1));
                px[o + 1] = (byte) (y * 255 / (h - 1));
                px[o + 2] = (byte) 128;
            }
        }
        return new RgbImage(w, h, px);
    }

    @Test
    void centredCropOfAUniformImageIsThatColourNormalized() {
        byte[] px = new byte[90 * 91 * 3];
        for (int i = 0; i < px.length; i += 3) {
            px[i] = (byte) 255;
            px[i + 1] = 0;
            px[i + 2] = (byte) 128;
        }
        float[] x = new CellAugmenter(64, MEAN, STD).centred(new RgbImage(90, 91, px));
        assertEquals(64 * 64 * 3, x.length);
        for (int i = 0; i < x.length; i += 3) {
            assertEquals(1f, x[i], 1e-5f);
            assertEquals(-1f, x[i + 1], 1e-5f);
            assertEquals((128 / 255f - 0.5f) / 0.5f, x[i + 2], 1e-5f);
        }
    }

    @Test
    void centredCropKeepsOrientation() {
        float[] x = new CellAugmenter(64, MEAN, STD).centred(gradient(100, 100));
        // red grows left to right, green top to bottom
        assertTrue(x[(10 * 64 + 60) * 3] > x[(10 * 64 + 3) * 3]);
        assertTrue(x[(60 * 64 + 10) * 3 + 1] > x[(3 * 64 + 10) * 3 + 1]);
    }

    @Test
    void augmentationIsDeterministicPerSeedAndChangesTheImage() {
        CellAugmenter aug = new CellAugmenter(64, MEAN, STD);
        RgbImage img = gradient(120, 121);
        float[] a = aug.augmented(img, new SplittableRandom(42));
        float[] b = aug.augmented(img, new SplittableRandom(42));
        float[] c = aug.augmented(img, new SplittableRandom(43));
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        assertFalse(Arrays.equals(a, aug.centred(img)));
        for (float v : a) {
            assertTrue(v >= -1f - 1e-5f && v <= 1f + 1e-5f, "value outside the normalized 0..1 range: " + v);
        }
    }
}
