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
import org.junit.jupiter.api.Disabled;
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

    @Disabled("Known gap, see docs/segmentation.md: the generator's neutrophil lobes lie further apart and are "
            + "thinner than BCCD's, so they fall apart into platelet-sized pieces (recall 0.33-0.58 at the time of "
            + "writing); widening segment.lobeGap to match costs recall on real BCCD fields")
    @ParameterizedTest
    @ValueSource(doubles = {0.1, 0.2, 0.35})
    void whiteCellRecallAtLeast95Percent(double micronsPerPixel) {
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
        double recall = (double) matched / truth;
        assertTrue(recall >= 0.95, "white-cell recall " + recall + " at " + micronsPerPixel + " um/px");
    }
}
