package org.hematovision.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.hematovision.board.ManualScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngDisplayTest {

    @TempDir
    Path dir;

    private static BufferedImage solid(int rgb) {
        BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    private static int centre(Path p) throws IOException {
        return ImageIO.read(p.toFile()).getRGB(160, 120) & 0xFFFFFF;
    }

    @Test
    void writesAtOnceThenHoldsFramesWithinTheIntervalAndWritesOnlyTheNewest() throws IOException {
        ManualScheduler clock = new ManualScheduler();
        Path png = dir.resolve("var/display.png");
        PngDisplay d = new PngDisplay(png, PanelSpec.COLOUR_320X240, 250, clock);

        d.show(solid(0xFF0000));
        assertEquals(1, d.writes());
        assertEquals(0xFF0000, centre(png));

        clock.advance(100);
        d.show(solid(0x00FF00));
        d.show(solid(0x0000FF));
        assertEquals(1, d.writes(), "frames within 250 ms are held");
        assertEquals(0xFF0000, centre(png));

        clock.advance(149);
        assertEquals(1, d.writes());
        clock.advance(1);
        assertEquals(2, d.writes(), "held frame written when the interval is over");
        assertEquals(0x0000FF, centre(png), "only the newest held frame");
        assertFalse(Files.exists(dir.resolve("var/display.png.tmp")), "temp file renamed away");
    }

    @Test
    void closeWritesTheHeldFrameSoTheLastScreenIsNeverLost() throws IOException {
        ManualScheduler clock = new ManualScheduler();
        Path png = dir.resolve("display.png");
        PngDisplay d = new PngDisplay(png, PanelSpec.COLOUR_320X240, 1000, clock);
        d.show(solid(0x111111));
        d.show(solid(0x222222));
        d.close();
        assertEquals(0x222222, centre(png));
        assertEquals(0, clock.pending(), "flush task cancelled");
        assertThrows(DisplayException.class, () -> d.show(solid(0)));
        d.close();
    }

    @Test
    void unwritablePathFailsWithTheReason() throws IOException {
        Path blocker = dir.resolve("file");
        Files.writeString(blocker, "not a directory");
        PngDisplay d = new PngDisplay(blocker.resolve("display.png"), PanelSpec.COLOUR_320X240, 0, new ManualScheduler());
        DisplayException e = assertThrows(DisplayException.class, () -> d.show(solid(0)));
        assertTrue(e.getMessage().contains("cannot write"), e.getMessage());
    }
}
