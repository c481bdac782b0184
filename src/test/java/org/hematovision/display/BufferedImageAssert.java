package org.hematovision.display;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;

final class BufferedImageAssert {
    private BufferedImageAssert() {
    }

    static void sameAs(BufferedImage expected, BufferedImage actual) {
        assertEquals(0, ScreenGoldenTest.differingPixels(expected, actual), "pixels differ");
    }
}
