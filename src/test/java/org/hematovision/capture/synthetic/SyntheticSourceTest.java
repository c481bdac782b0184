package org.hematovision.capture.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.hematovision.capture.Frame;
import org.hematovision.capture.synthetic.SyntheticSource.Phase;
import org.junit.jupiter.api.Test;

class SyntheticSourceTest {

    private static final SmearParams SMALL = SmearParams.defaults().withSize(200, 150).withCounts(1, 20, 2);

    @Test
    void livePhasesFollowTheConfiguredLengths() {
        SyntheticSourceConfig cfg = SyntheticSourceConfig.live().withPhases(4, 9, 1.0, 2).withMaxFrames(9 + 13 * 3);
        try (SyntheticSource s = new SyntheticSource(new SyntheticSmear(SMALL), cfg, 5)) {
            int frames = 0;
            Frame previous = null;
            for (Optional<Frame> f; (f = s.next()).isPresent(); frames++) {
                Frame frame = f.get();
                SyntheticSource.FrameTruth t = s.truthAt(frame.index());
                long i = frame.index();
                long expectedField = i < 9 ? 0 : 1 + (i - 9) / 13;
                assertEquals(expectedField, t.fieldNumber(), "frame " + i);
                boolean pan = i >= 9 && (i - 9) % 13 < 4;
                assertEquals(pan, t.phase() == Phase.PAN, "frame " + i);
                assertEquals(pan, s.truthOf(frame).isEmpty());
                if (previous != null) {
                    assertNotEquals(previous.image(), frame.image(), "sensor noise differs frame to frame");
                }
                previous = frame;
            }
            assertEquals(9 + 13 * 3, frames, "ends at maxFrames");
            // Probability 1: every hold after a pan has exactly defocusFrames defocused frames; the first none.
            for (long field = 0; field < 4; field++) {
                final long fn = field;
                long defocused = java.util.stream.LongStream.range(0, frames)
                        .mapToObj(s::truthAt).filter(t -> t.fieldNumber() == fn && t.phase() == Phase.DEFOCUS).count();
                assertEquals(field == 0 ? 0 : 2, defocused, "field " + field);
            }
        }
    }

    @Test
    void truthOfAHoldFrameIsTheFieldShown() {
        SyntheticSourceConfig cfg = SyntheticSourceConfig.live().withPhases(3, 5, 0, 1).withMaxFrames(20);
        try (SyntheticSource s = new SyntheticSource(new SyntheticSmear(SMALL), cfg, 8)) {
            Frame f = null;
            for (int i = 0; i <= 10; i++) {
                f = s.next().orElseThrow(); // frame 10: field 1, hold
            }
            SyntheticField shown = s.truthOf(f).orElseThrow();
            assertEquals(s.field(1), shown);
            // Apart from noise and vignetting, the frame is the field's slide image.
            double diff = 0;
            for (int i = 0; i < f.image().pixels().length; i++) {
                diff += Math.abs((f.image().pixels()[i] & 0xff) - (shown.image().pixels()[i] & 0xff));
            }
            assertTrue(diff / f.image().pixels().length < 25, "mean difference " + diff / f.image().pixels().length);
        }
    }

    @Test
    void stillsModeMakesEveryFrameAField() {
        SyntheticSourceConfig cfg = SyntheticSourceConfig.stills().withMaxFrames(3);
        try (SyntheticSource s = new SyntheticSource(new SyntheticSmear(SMALL), cfg, 1)) {
            assertTrue(s.framesAreFields());
            Frame a = s.next().orElseThrow();
            Frame b = s.next().orElseThrow();
            assertEquals(s.field(0).image(), a.image());
            assertEquals(s.field(1).image(), b.image());
            assertEquals(1, s.truthOf(b).orElseThrow().cells().stream().filter(c -> c.kind()
                    == org.hematovision.segment.CellKind.WBC || c.label().equals("platelet")).count() - 2);
        }
    }
}
