package org.hematovision.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hematovision.image.BgrImage;
import org.hematovision.image.Box;
import org.junit.jupiter.api.Test;

class CropRuleTest {

    /** 10x8 field whose pixel (x, y) holds B = x, G = y, R = 7. */
    private static BgrImage ramp() {
        byte[] px = new byte[10 * 8 * 3];
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 10; x++) {
                int i = (y * 10 + x) * 3;
                px[i] = (byte) x;
                px[i + 1] = (byte) y;
                px[i + 2] = 7;
            }
        }
        return new BgrImage(10, 8, px);
    }

    @Test
    void sideFromRedCellDiameterOrBox() {
        assertEquals(440, CropRule.side(new Box(0, 0, 50, 30), 100));
        assertEquals(125, CropRule.side(new Box(0, 0, 50, 30), Double.NaN));
    }

    @Test
    void centredOnTheBoxAndReplicatesBorders() {
        // Box centre (1, 1); red-cell diameter 1.25 px -> side round(5.5) = 6 -> square x,y from -2 to 3.
        BgrImage crop = CropRule.cut(ramp(), new Box(0, 0, 2, 2), 1.25);
        assertEquals(6, crop.width());
        assertEquals(crop.blue(0, 0), 0, "left of the field repeats column 0");
        assertEquals(crop.green(0, 0), 0, "above the field repeats row 0");
        assertEquals(1, crop.blue(3, 3));
        assertEquals(1, crop.green(3, 3));
        assertEquals(3, crop.blue(5, 5));
        assertEquals(7, crop.red(5, 5));
    }

    @Test
    void farRightAndBottomRepeatTheLastColumnAndRow() {
        BgrImage crop = CropRule.cut(ramp(), new Box(8, 6, 2, 2), 1.25);
        assertEquals(9, crop.blue(5, 0));
        assertEquals(7, crop.green(0, 5));
    }
}
