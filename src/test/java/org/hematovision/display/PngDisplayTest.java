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

    /** Pixels of exactly {@code rgb} inside the rectangle. */
    private static int count(BufferedImage img, int rgb, int x0, int y0, int x1, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                n += (img.getRGB(x, y) & 0xFFFFFF) == rgb ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void theVirtualDisplayFileShowsTheFieldWithClassColouredBoxesAndTheAlertBanner() throws IOException {
        Path png = dir.resolve("display.png");
        PngDisplay d = new PngDisplay(png, PanelSpec.COLOUR_320X240, 0, new ManualScheduler());
        DisplayController c = new DisplayController(d, new ScreenRenderer(), Runnable::run);
        c.sampleStarted(ScreenFixtures.SAMPLE, 100);
        c.fieldAnalysed(ScreenFixtures.report(4), ScreenFixtures.running());

        BufferedImage shown = ImageIO.read(png.toFile());
        // the thumbnail occupies the left 200x150 below the status bar; boxes are 2-pixel outlines
        int neutrophilBlue = 0x468CFF;
        int lymphocyteGreen = 0x50D26E;
        int abnormalRed = 0xE12D2D;
        assertTrue(count(shown, neutrophilBlue, 0, 23, 200, 173) >= 200, "neutrophil box drawn");
        assertTrue(count(shown, lymphocyteGreen, 0, 23, 200, 173) >= 150, "lymphocyte box drawn");
        assertTrue(count(shown, abnormalRed, 0, 23, 200, 173) >= 200, "abnormal (ig) box drawn in red");

        c.alert(ScreenFixtures.abnormal());
        BufferedImage alerted = ImageIO.read(png.toFile());
        int bannerRed = 0xAA1414;
        assertTrue(count(alerted, bannerRed, 0, 168, 320, 240) > 10_000, "banner across the bottom");
        c.close();
        assertEquals(0x0C0E14, ImageIO.read(png.toFile()).getRGB(160, 200) & 0xFFFFFF, "stopped screen written on close");
    }
}
