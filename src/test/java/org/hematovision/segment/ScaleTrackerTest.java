package org.hematovision.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScaleTrackerTest {

    private static final double SLIDE = 0.085;

    @Test
    void noSlideScaleUntilEnoughFieldsMeasuredOne() {
        ScaleTracker t = new ScaleTracker(3, 0.2);
        assertFalse(t.hint().present());
        t.add(SLIDE);
        t.add(Double.NaN);  // a field without enough red cells gives nothing
        t.add(SLIDE * 1.02);
        assertEquals(2, t.fields());
        assertFalse(t.hint().present());
        t.add(SLIDE * 0.98);
        assertTrue(t.hint().present());
        assertEquals(SLIDE, t.slideMicronsPerPixel(), 1e-12);
        assertEquals(0.2, t.hint().tolerance());
    }

    @Test
    void outlierFieldsDoNotMoveTheSlideScale() {
        ScaleTracker t = new ScaleTracker(5, 0.2);
        double[] good = {0.99, 1.01, 1.0, 0.98, 1.02, 1.0, 0.97, 1.03};
        for (double g : good) {
            t.add(SLIDE * g);
        }
        double before = t.slideMicronsPerPixel();
        // Fused red-cell sheets (scale read 2-2.5x too small) and crowded fields (2x too large).
        for (double outlier : new double[] {0.41, 0.48, 2.4, 0.43, 1.9}) {
            t.add(SLIDE * outlier);
        }
        assertEquals(before, t.slideMicronsPerPixel(), 0.02 * SLIDE);
    }

    @Test
    void resetStartsANewSlideFromNothing() {
        ScaleTracker t = new ScaleTracker(2, 0.2);
        t.add(SLIDE);
        t.add(SLIDE);
        assertTrue(t.hint().present());
        t.reset();
        assertEquals(0, t.fields());
        assertFalse(t.hint().present());
        // The next slide is under another objective: its own scale, not the last slide's.
        t.add(0.2);
        t.add(0.2);
        assertEquals(0.2, t.slideMicronsPerPixel(), 1e-12);
    }

    @Test
    void hintKeepsAnAgreeingFieldsOwnScaleAndReplacesADisagreeingOne() {
        ScaleHint hint = new ScaleHint(SLIDE, 0.2);
        assertEquals(SLIDE * 1.15, hint.choose(SLIDE * 1.15), 1e-12);
        assertEquals(SLIDE * 0.85, hint.choose(SLIDE * 0.85), 1e-12);
        assertEquals(SLIDE, hint.choose(SLIDE * 0.45), 1e-12);
        assertEquals(SLIDE, hint.choose(SLIDE * 2.0), 1e-12);
        assertEquals(SLIDE, hint.choose(Double.NaN), 1e-12);
        assertEquals(0.3, ScaleHint.none().choose(0.3), 1e-12);
        assertTrue(Double.isNaN(ScaleHint.none().choose(Double.NaN)));
    }

    @Test
    void trackerFromConfig() {
        ScaleTracker t = ScaleTracker.of(SegmenterConfig.defaults());
        for (int i = 1; i < SegmenterConfig.DEFAULT_SLIDE_SCALE_MIN_FIELDS; i++) {
            t.add(SLIDE);
        }
        assertFalse(t.hint().present());
        t.add(SLIDE);
        assertEquals(SegmenterConfig.DEFAULT_SLIDE_SCALE_TOLERANCE, t.hint().tolerance());
    }

    @Test
    void byDefaultEveryFieldUsesTheSlidesScaleOnceItIsTrusted() {
        // One objective and camera per sample: one true scale. A field's own estimate that agrees within a few
        // percent is still noisier than the median of the fields before it, so the slide's scale is used.
        ScaleTracker t = ScaleTracker.of(SegmenterConfig.defaults());
        double[] own = {SLIDE * 1.08, SLIDE * 0.95, SLIDE * 1.6, SLIDE, SLIDE * 0.9};
        for (double f : own) {
            assertEquals(f, t.hint().choose(f), 1e-12, "before the slide scale is trusted: the field's own");
            t.add(f);
        }
        assertEquals(SLIDE, t.slideMicronsPerPixel(), 1e-12);
        assertEquals(SLIDE, t.hint().choose(SLIDE * 1.03), 1e-12);
        assertEquals(SLIDE, t.hint().choose(SLIDE * 0.97), 1e-12);
        assertEquals(SLIDE, t.hint().choose(SLIDE * 1.23), 1e-12);
        assertEquals(SLIDE, t.hint().choose(Double.NaN), 1e-12);
    }

    @Test
    void zeroToleranceKeepsNoFieldsOwnScale() {
        ScaleHint hint = new ScaleHint(SLIDE, 0);
        assertEquals(SLIDE, hint.choose(SLIDE * 1.001), 1e-12);
        assertEquals(SLIDE, hint.choose(SLIDE * 0.5), 1e-12);
        assertEquals(SLIDE, hint.choose(SLIDE), 1e-12);
    }

    @Test
    void aSampleWithoutLimitsKeepsAFixedNumberOfEstimates() {
        ScaleTracker t = new ScaleTracker(5, 0.2);
        for (int i = 0; i < ScaleTracker.MAX_FIELDS + 500; i++) {
            t.add(0.1);
        }
        assertEquals(ScaleTracker.MAX_FIELDS, t.fields());
        assertEquals(0.1, t.slideMicronsPerPixel(), 1e-12);
    }
}
