package org.hematovision.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The one-page report of a fixed synthetic sample must look like {@code docs/screens/report-sample.png}.
 * Run with {@code -Dhematovision.updateGoldens=true} to rewrite the golden after an intended change
 * (and look at it). Tolerates the few anti-aliased text pixels another JDK's font rasterizer may move.
 */
class ReportGoldenTest {

    static final Path GOLDEN = Path.of("docs", "screens", "report-sample.png");
    /** Channel difference below which two pixels count as equal (anti-aliasing noise). */
    private static final int CHANNEL_TOLERANCE = 24;
    /** Share of pixels allowed to differ: font hinting only; any layout change moves far more. */
    private static final double MAX_DIFFERENT = 0.002;

    @Test
    void reportPageMatchesTheGolden() throws Exception {
        byte[] png = new ReportRenderer().png(SampleReports.eosinophilia(), SampleReports.DEVICE, SampleReports.gallery());
        if (Boolean.getBoolean("hematovision.updateGoldens")) {
            Files.createDirectories(GOLDEN.getParent());
            Files.write(GOLDEN, png);
        }
        assertTrue(Files.exists(GOLDEN), GOLDEN.toAbsolutePath() + " missing: run with -Dhematovision.updateGoldens=true");
        BufferedImage want = ImageIO.read(GOLDEN.toFile());
        BufferedImage got = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(want.getWidth(), got.getWidth());
        assertEquals(want.getHeight(), got.getHeight());
        long different = 0;
        for (int y = 0; y < want.getHeight(); y++) {
            for (int x = 0; x < want.getWidth(); x++) {
                int a = want.getRGB(x, y);
                int b = got.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    if (Math.abs(((a >> shift) & 0xff) - ((b >> shift) & 0xff)) > CHANNEL_TOLERANCE) {
                        different++;
                        break;
                    }
                }
            }
        }
        double share = (double) different / (want.getWidth() * want.getHeight());
        if (share > MAX_DIFFERENT) {
            Path actual = Path.of("target", "report-sample.actual.png");
            Files.createDirectories(actual.getParent());
            Files.write(actual, png);
            throw new AssertionError(String.format("report page differs from %s in %.2f%% of pixels (allowed %.2f%%); "
                    + "see %s, and rerun with -Dhematovision.updateGoldens=true if the change is intended",
                    GOLDEN, 100 * share, 100 * MAX_DIFFERENT, actual));
        }
    }
}
