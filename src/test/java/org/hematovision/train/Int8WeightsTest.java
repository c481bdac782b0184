package org.hematovision.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Int8WeightsTest {

    @Test
    void perOutputChannelSymmetricScalesRoundTripWithinHalfAStep() {
        // HWIO [1,1,2,3]: channel 0 small, channel 1 large, channel 2 all zero
        float[] w = {0.01f, 5f, 0f, -0.02f, -2.5f, 0f};
        Int8Weights q = Int8Weights.quantize(new long[] {1, 1, 2, 3}, w, 3);
        assertArrayEquals(new float[] {0.02f / 127, 5f / 127, 1f}, q.scales(), 1e-9f);
        assertEquals(127, q.codes()[1]);
        assertEquals(-127, q.codes()[3]);
        float[] back = q.dequantize();
        for (int i = 0; i < w.length; i++) {
            assertTrue(Math.abs(back[i] - w[i]) <= q.scales()[i % 3] / 2 + 1e-7, "element " + i);
        }
        byte[] offset = q.offsetCodes();
        assertEquals((byte) 255, offset[1]);
        assertEquals((byte) 1, offset[3]);
    }

    @Test
    void depthwiseChannelIsTheThirdAxis() {
        // [kh=1,kw=2,C=2,1]
        float[] w = {1f, 0.1f, -2f, 0.05f};
        Int8Weights q = Int8Weights.quantize(new long[] {1, 2, 2, 1}, w, 2);
        assertArrayEquals(new float[] {2f / 127, 0.1f / 127}, q.scales(), 1e-9f);
    }
}
