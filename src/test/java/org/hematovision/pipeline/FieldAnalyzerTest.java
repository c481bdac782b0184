package org.hematovision.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.hematovision.capture.Frame;
import org.hematovision.field.Field;
import org.hematovision.field.FieldQuality;
import org.hematovision.image.BgrImage;
import org.hematovision.segment.ScaleHint;
import org.hematovision.segment.ScaleTracker;
import org.hematovision.segment.Segmentation;
import org.hematovision.segment.Segmenter;
import org.junit.jupiter.api.Test;

class FieldAnalyzerTest {

    /** Reports a scripted own scale per field and records the slide scale it was handed. */
    static final class ScriptedScale implements Segmenter {
        final List<Double> own = new ArrayList<>();
        final List<ScaleHint> hints = new ArrayList<>();

        @Override
        public Segmentation segment(BgrImage field) {
            return segment(field, ScaleHint.none());
        }

        @Override
        public Segmentation segment(BgrImage field, ScaleHint slideScale) {
            hints.add(slideScale);
            double fieldScale = own.get(hints.size() - 1);
            return new Segmentation(List.of(), List.of(), List.of(), List.of(), slideScale.choose(fieldScale),
                    List.of(), fieldScale);
        }
    }

    private static Field field(long i) {
        return new Field(i, new Frame(i, 0, new BgrImage(8, 8, new byte[8 * 8 * 3])),
                new FieldQuality(Double.NaN, Double.NaN, Double.NaN, 0));
    }

    @Test
    void fieldsOfOneSampleShareTheSlideScaleAndANewSampleStartsFresh() {
        ScriptedScale segmenter = new ScriptedScale();
        FieldAnalyzer analyzer = new FieldAnalyzer(segmenter, new RunLoopTest.FixedClassifier(),
                Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), new StageTimings(), new ScaleTracker(3, 0.2));
        // Sample A at 0.085 um/px; its fourth field misreads its own scale (fused red cells).
        segmenter.own.addAll(List.of(0.085, 0.086, 0.084, 0.040, 0.085));
        // Sample B under another objective.
        segmenter.own.addAll(List.of(0.2, 0.21, 0.19, 0.2));
        List<Segmentation> a = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            a.add(analyzer.analyse("A", field(i)).segmentation());
        }
        for (int i = 0; i < 3; i++) {
            assertFalse(segmenter.hints.get(i).present(), "field " + i + " of A: no slide scale yet");
        }
        assertEquals(0.085, segmenter.hints.get(3).slideMicronsPerPixel(), 1e-12);
        assertEquals(0.085, a.get(3).micronsPerPixel(), 1e-12, "the misread field uses the slide's scale");
        assertEquals(0.040, a.get(3).fieldMicronsPerPixel(), 1e-12);
        assertTrue(a.get(3).usedSlideScale());
        assertEquals(0.085, a.get(4).micronsPerPixel(), 1e-12);
        assertFalse(a.get(4).usedSlideScale());

        for (int i = 0; i < 4; i++) {
            analyzer.analyse("B", field(10 + i));
        }
        for (int i = 5; i < 8; i++) {
            assertFalse(segmenter.hints.get(i).present(), "field " + i + ": sample B starts without A's scale");
        }
        assertEquals(0.2, segmenter.hints.get(8).slideMicronsPerPixel(), 1e-12);
    }
}
