package org.hematovision.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.hematovision.capture.synthetic.SmearParams;
import org.hematovision.capture.synthetic.SyntheticSmear;
import org.hematovision.capture.synthetic.SyntheticSource;
import org.hematovision.capture.synthetic.SyntheticSourceConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One contract, every finite source: indices from 0 without gaps, monotonic time, idempotent close. */
class FrameSourceContractTest {

    static final int N = 6;

    @TempDir
    static Path dir;

    interface Opener {
        FrameSource open() throws Exception;
    }

    static Stream<Object[]> sources() throws Exception {
        SmearParams small = SmearParams.defaults().withSize(120, 90).withCounts(1, 8, 1);
        Path images = Files.createDirectories(dir.resolve("images"));
        for (int i = 0; i < N; i++) {
            ImageIO.write(new SyntheticSmear(small).generate(i).image().toBufferedImage(), "png",
                    images.resolve("f" + i + ".png").toFile());
        }
        Path video = dir.resolve("v.avi");
        try (SyntheticSource s = new SyntheticSource(new SyntheticSmear(small), SyntheticSourceConfig.live().withMaxFrames(N), 2)) {
            SyntheticVideos.writeMjpeg(s, video, 120, 90, 15);
        }
        CaptureConfig cfg = CaptureConfig.defaults();
        return Stream.of(
                new Object[] {"images", (Opener) () -> FrameSources.open(SourceSpec.parse("images:" + images), cfg)},
                new Object[] {"video", (Opener) () -> FrameSources.open(SourceSpec.parse("video:" + video), cfg)},
                new Object[] {"synthetic live", (Opener) () -> new SyntheticSource(new SyntheticSmear(small),
                        SyntheticSourceConfig.live().withMaxFrames(N), 4)},
                new Object[] {"synthetic stills", (Opener) () -> new SyntheticSource(new SyntheticSmear(small),
                        SyntheticSourceConfig.stills().withMaxFrames(N), 4)});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void deliversAnOrderedStreamAndClosesTwice(String name, Opener opener) throws Exception {
        FrameSource source = opener.open();
        try (source) {
            assertTrue(!source.description().isBlank());
            long expected = 0;
            long lastTime = Long.MIN_VALUE;
            for (Optional<Frame> f; (f = source.next()).isPresent(); expected++) {
                assertEquals(expected, f.get().index(), name);
                assertTrue(f.get().timestampNanos() > lastTime, name + " timestamps increase");
                lastTime = f.get().timestampNanos();
                assertEquals(120, f.get().image().width());
            }
            assertEquals(N, expected, name + " frame count");
            assertEquals(Optional.empty(), source.next(), name + " stays at its end");
        }
        source.close(); // second close is harmless
    }
}
