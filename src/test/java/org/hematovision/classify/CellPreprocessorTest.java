package org.hematovision.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.hematovision.image.BgrImage;
import org.junit.jupiter.api.Test;

class CellPreprocessorTest {

    private static ModelMetadata meta(int w, int h, float[] mean, float[] std) {
        return new ModelMetadataBuilder("t", "1", List.of("a", "b")).inputSize(w, h).normalization(mean, std).build();
    }

    @Test
    void convertsBgrToNormalizedRgb() {
        CellPreprocessor pre = new CellPreprocessor(meta(2, 1, new float[] {0.5f, 0.25f, 0f}, new float[] {0.5f, 0.25f, 1f}));
        // pixel 0: B=0 G=255 R=51; pixel 1: B=255 G=0 R=255
        BgrImage img = new BgrImage(2, 1, new byte[] {0, (byte) 255, 51, (byte) 255, 0, (byte) 255});
        float[] out = pre.batch(List.of(img));
        float[] want = {
            (51 / 255f - 0.5f) / 0.5f, (1f - 0.25f) / 0.25f, 0f,
            1f, (0f - 0.25f) / 0.25f, 1f};
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], out[i], 1e-6f, "value " + i);
        }
    }

    @Test
    void shrinksByAveragingAreas() {
        CellPreprocessor pre = new CellPreprocessor(meta(2, 2, new float[] {0, 0, 0}, new float[] {1, 1, 1}));
        // 4x4 image: each 2x2 quadrant has red values {0, 100, 200, 100} -> mean 100 under area interpolation
        byte[] px = new byte[4 * 4 * 3];
        int[] pattern = {0, 100, 200, 100};
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                px[(y * 4 + x) * 3 + 2] = (byte) pattern[(y % 2) * 2 + (x % 2)];
            }
        }
        float[] out = pre.batch(List.of(new BgrImage(4, 4, px)));
        for (int p = 0; p < 4; p++) {
            assertEquals(100 / 255f, out[p * 3], 1e-6f, "red of output pixel " + p);
            assertEquals(0f, out[p * 3 + 1], 1e-6f);
        }
    }

    @Test
    void enlargesAUniformCropToTheSameValues() {
        CellPreprocessor pre = new CellPreprocessor(meta(7, 5, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f}));
        float[] out = pre.batch(List.of(TfCellClassifierTest.solid(3, 2, 255, 0, 51)));
        assertEquals(7 * 5 * 3, out.length);
        for (int i = 0; i < out.length; i += 3) {
            assertEquals(1f, out[i], 1e-6f);
            assertEquals(-1f, out[i + 1], 1e-6f);
            assertEquals(51 / 255f * 2 - 1, out[i + 2], 1e-6f);
        }
    }

    @Test
    void batchesInOrderAndSkipsResizingAtInputSize() {
        CellPreprocessor pre = new CellPreprocessor(meta(4, 4, new float[] {0, 0, 0}, new float[] {1, 1, 1}));
        BgrImage exact = TfCellClassifierTest.solid(4, 4, 10, 20, 30);
        assertSame(exact, pre.resized(exact));
        float[] out = pre.batch(List.of(exact, TfCellClassifierTest.solid(9, 9, 40, 50, 60)));
        assertEquals(2 * pre.imageSize(), out.length);
        assertEquals(10 / 255f, out[0], 1e-6f);
        assertEquals(40 / 255f, out[pre.imageSize()], 1e-6f);
        assertEquals(60 / 255f, out[out.length - 1], 1e-6f);
    }
}
