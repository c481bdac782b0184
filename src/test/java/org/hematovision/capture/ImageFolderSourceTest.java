package org.hematovision.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.hematovision.capture.synthetic.SmearParams;
import org.hematovision.capture.synthetic.SyntheticSmear;
import org.hematovision.image.BgrImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderSourceTest {

    @TempDir
    Path dir;

    @Test
    void deliversImagesInNameOrderSkippingUnreadableOnes() throws Exception {
        SyntheticSmear smear = new SyntheticSmear(SmearParams.defaults().withSize(160, 120).withCounts(1, 10, 2));
        // Written out of order and in several formats; b.png is lossless so it can be compared exactly.
        BgrImage a = smear.generate(1).image();
        BgrImage b = smear.generate(2).image();
        BgrImage c = smear.generate(3).image();
        ImageIO.write(c.toBufferedImage(), "bmp", dir.resolve("c.bmp").toFile());
        ImageIO.write(a.toBufferedImage(), "jpg", dir.resolve("a.JPG").toFile());
        ImageIO.write(b.toBufferedImage(), "png", dir.resolve("b.png").toFile());
        Files.writeString(dir.resolve("b2.jpeg"), "not a jpeg at all");
        Files.writeString(dir.resolve("notes.txt"), "ignored: not an image extension");

        List<Frame> frames = new ArrayList<>();
        try (FrameSource source = FrameSources.open(SourceSpec.parse("images:" + dir), CaptureConfig.defaults())) {
            assertTrue(source.framesAreFields());
            for (Optional<Frame> f; (f = source.next()).isPresent(); ) {
                frames.add(f.get());
            }
            assertEquals(1, ((ImageFolderSource) source).unreadableCount(), "the fake jpeg is counted as unreadable");
            assertEquals(List.of("a.JPG", "b.png", "b2.jpeg", "c.bmp"),
                    ((ImageFolderSource) source).files().stream().map(p -> p.getFileName().toString()).toList());
        }
        assertEquals(3, frames.size());
        assertEquals(List.of(0L, 1L, 2L), frames.stream().map(Frame::index).toList());
        assertEquals(b, frames.get(1).image(), "png frame is pixel-exact");
        assertEquals(c, frames.get(2).image(), "bmp frame is pixel-exact");
        assertTrue(meanAbsDiff(a, frames.get(0).image()) < 6, "jpg frame is close to what was written");
    }

    @Test
    void missingFolderSaysWhatToCheck() {
        CaptureException e = assertThrows(CaptureException.class,
                () -> FrameSources.open(SourceSpec.parse("images:" + dir.resolve("nope")), CaptureConfig.defaults()));
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("not found"), e.getMessage());
    }

    static double meanAbsDiff(BgrImage x, BgrImage y) {
        long s = 0;
        for (int i = 0; i < x.pixels().length; i++) {
            s += Math.abs((x.pixels()[i] & 0xff) - (y.pixels()[i] & 0xff));
        }
        return (double) s / x.pixels().length;
    }
}
