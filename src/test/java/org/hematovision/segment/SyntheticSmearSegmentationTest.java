package org.hematovision.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hematovision.capture.synthetic.SmearParams;
import org.hematovision.capture.synthetic.SyntheticField;
import org.hematovision.capture.synthetic.SyntheticSmear;
import org.hematovision.capture.synthetic.TruthCell;
import org.hematovision.eval.segmentation.BoxMatcher;
import org.hematovision.image.Box;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The segmenter on generated smears from 100x oil (0.1 um/px) to about 40x (0.35 um/px). */
class SyntheticSmearSegmentationTest {

    private static final int SEEDS = 6;

    /** Red-cell count that keeps the smear's coverage the same at every magnification (110 at 0.2 um/px). */
    private static SmearParams params(double micronsPerPixel) {
        int rbc = (int) Math.round(SmearParams.DEFAULT_RBC_COUNT * Math.pow(micronsPerPixel / 0.2, 2));
        return SmearParams.defaults().withScale(micronsPerPixel).withCounts(3, rbc, 8);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.1, 0.15, 0.2, 0.3, 0.35})
    void scaleWithinTenPercent(double micronsPerPixel) {
        SyntheticSmear smear = new SyntheticSmear(params(micronsPerPixel));
        ClassicalSegmenter segmenter = new ClassicalSegmenter(SegmenterConfig.defaults());
        for (long seed = 1; seed <= SEEDS; seed++) {
            SyntheticField f = smear.generate(seed);
            Segmentation s = segmenter.segment(f.image());
            double ratio = s.micronsPerPixel() / f.micronsPerPixel();
            long seedFinal = seed;
            assertTrue(Math.abs(ratio - 1) <= 0.10,
                    () -> "seed " + seedFinal + ": estimated " + s.micronsPerPixel() + " um/px, drawn at " + f.micronsPerPixel());
        }
    }

    /**
     * The foundation's criterion: at the generator's default scale (0.2 um/px) at least 95% of the
     * drawn white cells are found at IoU >= 0.5.
     */
    @org.junit.jupiter.api.Test
    void whiteCellRecallAtLeast95PercentAtDefaultScale() {
        assertTrue(recall(0.2) >= 0.95, "white-cell recall " + recall(0.2) + " at 0.2 um/px");
    }

    /**
     * At 100x-like (0.1) and 40x-like (0.35) scales the measured recall is 16/18 (0.89): two touching
     * neutrophils merge at 0.1, and box extents fitted to BCCD miss IoU 0.5 on a small lymphocyte and an
     * eosinophil at 0.35 (docs/segmentation.md). This floor catches regressions below that level.
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.1, 0.35})
    void whiteCellRecallAtOtherScalesDoesNotRegress(double micronsPerPixel) {
        double recall = recall(micronsPerPixel);
        assertTrue(recall >= 0.85, "white-cell recall " + recall + " at " + micronsPerPixel + " um/px");
    }

    private static double recall(double micronsPerPixel) {
        SyntheticSmear smear = new SyntheticSmear(params(micronsPerPixel));
        ClassicalSegmenter segmenter = new ClassicalSegmenter(SegmenterConfig.defaults());
        int truth = 0;
        int matched = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            SyntheticField f = smear.generate(seed);
            List<Box> t = f.cells().stream().filter(c -> c.kind() == CellKind.WBC).map(TruthCell::box).toList();
            List<Box> found = segmenter.segment(f.image()).whiteCells().stream().map(CellRegion::box).toList();
            truth += t.size();
            matched += BoxMatcher.match(t, found, 0.5).size();
        }
        assertEquals(3 * SEEDS, truth);
        return (double) matched / truth;
    }
}
