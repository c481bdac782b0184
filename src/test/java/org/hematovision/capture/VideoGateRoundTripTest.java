package org.hematovision.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.hematovision.capture.synthetic.SmearParams;
import org.hematovision.capture.synthetic.SyntheticSmear;
import org.hematovision.capture.synthetic.SyntheticSource;
import org.hematovision.capture.synthetic.SyntheticSource.FrameTruth;
import org.hematovision.capture.synthetic.SyntheticSource.Phase;
import org.hematovision.capture.synthetic.SyntheticSourceConfig;
import org.hematovision.field.GateConfig;
import org.hematovision.field.GateDecision;
import org.hematovision.field.LaplacianFieldGate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capture-to-gate path on a real video: a synthetic moving slide is encoded with FFmpeg (MJPEG),
 * read back through {@code video:FILE} and gated. Each still field must be analysed exactly once, on a
 * sharp still frame; pans and defocused frames never.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VideoGateRoundTripTest {

    static final int W = 640;
    static final int H = 480;
    static final int FIELDS = 7;

    Path dir;
    Path video;
    List<FrameTruth> truth;

    @BeforeAll
    void writeVideo(@TempDir Path tmp) throws Exception {
        dir = tmp;
        SyntheticSourceConfig cfg = SyntheticSourceConfig.live().withPhases(6, 14, 0.6, 5)
                .withMaxFrames(14 + (FIELDS - 1) * 20L);
        video = dir.resolve("slide.avi");
        try (SyntheticSource source = new SyntheticSource(new SyntheticSmear(SmearParams.defaults().withSize(W, H)), cfg, 11)) {
            truth = SyntheticVideos.writeMjpeg(source, video, W, H, 15);
        }
        assertTrue(truth.stream().anyMatch(t -> t.phase() == Phase.DEFOCUS), "the recording must contain a defocus");
    }

    @Test
    void eachStillFieldOfTheVideoIsAnalysedExactlyOnce() throws Exception {
        Map<Long, List<Long>> analysedByField = new TreeMap<>();
        int frames = 0;
        long lastTimestamp = -1;
        try (FrameSource source = FrameSources.open(SourceSpec.parse("video:" + video), CaptureConfig.defaults())) {
            assertFalse(source.framesAreFields());
            LaplacianFieldGate gate = LaplacianFieldGate.forSource(source, GateConfig.defaults());
            for (Optional<Frame> f; (f = source.next()).isPresent(); frames++) {
                Frame frame = f.get();
                assertEquals(frames, frame.index());
                assertEquals(W, frame.image().width());
                assertTrue(frame.timestampNanos() > lastTimestamp, "media timestamps increase");
                lastTimestamp = frame.timestampNanos();
                if (gate.offer(frame) instanceof GateDecision.Analyse a) {
                    FrameTruth t = truth.get((int) a.field().frame().index());
                    assertEquals(Phase.HOLD, t.phase(), "analysed frame " + t + " must be a sharp still frame");
                    analysedByField.computeIfAbsent(t.fieldNumber(), k -> new ArrayList<>()).add(t.frameIndex());
                }
            }
            assertEquals(Optional.empty(), source.next(), "stays at its end");
        }
        assertEquals(truth.size(), frames, "every recorded frame is read back");
        assertEquals(FIELDS, analysedByField.size(), "every field analysed: " + analysedByField);
        analysedByField.forEach((field, at) -> assertEquals(1, at.size(), "field " + field + " analysed at frames " + at));
        // 15 fps media time: the last frame sits at (n-1)/15 s.
        assertEquals((truth.size() - 1) * 1e9 / 15, lastTimestamp, 2e6);
    }

    @Test
    void truncatedVideoEndsCleanlyWithTheFramesItHas() throws Exception {
        Path cut = dir.resolve("cut.avi");
        byte[] bytes = Files.readAllBytes(video);
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        int frames = readAll(cut);
        assertTrue(frames > truth.size() / 4 && frames < truth.size(), "read " + frames + " of " + truth.size());
    }

    @Test
    void corruptedVideoNeverCrashes() throws Exception {
        Path bad = dir.resolve("corrupt.avi");
        Files.copy(video, bad);
        Random rng = new Random(5);
        try (RandomAccessFile f = new RandomAccessFile(bad.toFile(), "rw")) {
            byte[] junk = new byte[4096];
            for (int i = 0; i < 20; i++) {
                rng.nextBytes(junk);
                f.seek(f.length() / 10 + (long) (rng.nextDouble() * f.length() * 0.8));
                f.write(junk);
            }
        }
        try {
            int frames = readAll(bad);
            assertTrue(frames > 0 && frames <= truth.size() + 5, "read " + frames);
        } catch (CaptureException e) {
            assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        }
    }

    @Test
    void garbageAndMissingFilesGiveClearMessages() throws Exception {
        Path garbage = dir.resolve("garbage.mp4");
        byte[] junk = new byte[50_000];
        new Random(1).nextBytes(junk);
        Files.write(garbage, junk);
        CaptureException e = assertThrows(CaptureException.class, () -> readAll(garbage));
        assertTrue(e.getMessage().contains("garbage.mp4") && e.getMessage().contains("cannot open"), e.getMessage());
        e = assertThrows(CaptureException.class, () -> readAll(dir.resolve("missing.mp4")));
        assertTrue(e.getMessage().contains("missing.mp4") && e.getMessage().contains("not found"), e.getMessage());
    }

    private static int readAll(Path file) throws CaptureException {
        int n = 0;
        try (FrameSource s = FrameSources.open(new SourceSpec.VideoFile(file), CaptureConfig.defaults())) {
            while (s.next().isPresent()) {
                n++;
            }
        }
        return n;
    }
}
