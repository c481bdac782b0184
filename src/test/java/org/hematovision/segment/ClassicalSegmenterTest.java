package org.hematovision.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.hematovision.image.BgrImage;
import org.hematovision.image.Box;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.ParameterizedTest;

class ClassicalSegmenterTest {

    private static final int RBC = 60;
    private final ClassicalSegmenter segmenter = new ClassicalSegmenter(SegmenterConfig.defaults());

    @Test
    void multiLobedNucleusIsOneCellAndScaleComesFromRedCells() {
        BgrImage img = new DrawnField(640, 480)
                .redCells(RBC, new int[][] {{320, 240}}, 110)
                .disc(320, 240, 45, DrawnField.CYTOPLASM)
                // four lobes with ~8 px gaps, well under the lobe gap (0.25 red-cell diameters = 15 px)
                .disc(298, 228, 12, DrawnField.NUCLEUS).disc(322, 220, 12, DrawnField.NUCLEUS)
                .disc(344, 236, 12, DrawnField.NUCLEUS).disc(326, 260, 12, DrawnField.NUCLEUS)
                .render();
        Segmentation s = segmenter.segment(img);
        assertEquals(1, s.whiteCells().size(), () -> "white cells " + s.whiteCells());
        CellRegion cell = s.whiteCells().get(0);
        assertTrue(cell.box().iou(new Box(275, 195, 90, 90)) > 0.6, () -> "box " + cell.box());
        assertFalse(cell.borderCut());
        assertEquals(7.5 / RBC, s.micronsPerPixel(), 0.1 * 7.5 / RBC, "scale within 10%");
        assertTrue(s.redCells().size() >= 20, () -> "red cells " + s.redCells().size());
    }

    @Test
    void twoTouchingWhiteCellsAreTwo() {
        BgrImage img = new DrawnField(640, 480)
                .redCells(RBC, new int[][] {{280, 240}, {365, 240}}, 110)
                .disc(280, 240, 44, DrawnField.CYTOPLASM).disc(365, 240, 44, DrawnField.CYTOPLASM)
                .disc(280, 240, 22, DrawnField.NUCLEUS).disc(365, 240, 22, DrawnField.NUCLEUS)
                .render();
        Segmentation s = segmenter.segment(img);
        assertEquals(2, s.whiteCells().size(), () -> "white cells " + s.whiteCells());
        assertEquals(2, s.crops().size());
        // Their cytoplasm is one blue region; each box keeps to its own side of it, not reaching the other nucleus.
        List<Box> boxes = s.whiteCells().stream().map(CellRegion::box).sorted(
                java.util.Comparator.comparingInt(Box::x)).toList();
        assertTrue(boxes.get(0).right() < 365 - 22, () -> "left cell " + boxes.get(0));
        assertTrue(boxes.get(1).x() > 280 + 22, () -> "right cell " + boxes.get(1));
    }

    @ParameterizedTest(name = "cell radius {0}, nucleus radius {1}")
    @CsvSource({"34, 22", "38, 26", "44, 30"})
    void twoTouchingSmallWhiteCellsAreNotMergedIntoOne(int radius, int nucleus) {
        int left = 300;
        int right = left + 2 * radius; // cytoplasm touching
        BgrImage img = new DrawnField(640, 480)
                .redCells(RBC, new int[][] {{left, 240}, {right, 240}}, 110)
                .disc(left, 240, radius, DrawnField.CYTOPLASM).disc(right, 240, radius, DrawnField.CYTOPLASM)
                .disc(left, 240, nucleus, DrawnField.NUCLEUS).disc(right, 240, nucleus, DrawnField.NUCLEUS)
                .render();
        Segmentation s = segmenter.segment(img);
        assertEquals(2, s.whiteCells().size(), () -> "white cells " + s.whiteCells());
    }

    @Test
    void borderCutCellIsCountedOnceAndNotCropped() {
        BgrImage img = new DrawnField(640, 480)
                .redCells(RBC, new int[][] {{8, 240}, {400, 240}}, 100)
                .disc(8, 240, 44, DrawnField.CYTOPLASM).disc(8, 240, 24, DrawnField.NUCLEUS)
                .disc(400, 240, 44, DrawnField.CYTOPLASM).disc(400, 240, 24, DrawnField.NUCLEUS)
                .render();
        Segmentation s = segmenter.segment(img);
        assertEquals(2, s.whiteCells().size(), () -> "white cells " + s.whiteCells());
        List<CellRegion> cut = s.whiteCells().stream().filter(CellRegion::borderCut).toList();
        assertEquals(1, cut.size());
        assertTrue(cut.get(0).box().x() == 0);
        assertEquals(1, s.crops().size(), "only the whole cell is cropped");
        assertFalse(s.crops().get(0).region().borderCut());
    }

    @Test
    void debrisIsRejectedWithReasonAndPlateletsCounted() {
        BgrImage img = new DrawnField(640, 480)
                .redCells(RBC, new int[][] {{200, 200}, {450, 300}, {320, 400}}, 60)
                .disc(200, 200, 12, DrawnField.NUCLEUS)  // 0.16 red-cell discs: too big for a platelet, too small for a nucleus
                .disc(450, 300, 5, DrawnField.NUCLEUS)   // 0.03 discs: a platelet
                .disc(320, 400, 6, DrawnField.NUCLEUS)
                .render();
        Segmentation s = segmenter.segment(img);
        assertTrue(s.whiteCells().isEmpty(), () -> "white cells " + s.whiteCells());
        assertEquals(1, s.rejected().size(), () -> "rejected " + s.rejected());
        Segmentation.Rejection r = s.rejected().get(0);
        assertTrue(r.reason().startsWith("debris"), r.reason());
        assertTrue(r.box().iou(new Box(188, 188, 25, 25)) > 0.5, () -> "box " + r.box());
        assertEquals(2, s.platelets().size(), () -> "platelets " + s.platelets());
    }

    @Test
    void fieldWithAWrongOwnScaleIsSegmentedWithTheSlidesScale() {
        // The field's red cells read twice the slide's diameter (as where red cells fuse into sheets): on its own
        // scale the nucleus (radius 22 px) is 0.13 red-cell discs, debris; on the slide's (60 px) it is 0.54, a cell.
        int misread = 2 * RBC;
        BgrImage img = new DrawnField(640, 480)
                .redCells(misread, new int[][] {{320, 240}}, 130)
                .disc(320, 240, 40, DrawnField.CYTOPLASM).disc(320, 240, 22, DrawnField.NUCLEUS)
                .render();
        Segmentation own = segmenter.segment(img);
        assertEquals(7.5 / misread, own.micronsPerPixel(), 0.1 * 7.5 / misread, "own scale");
        assertTrue(own.whiteCells().isEmpty(), () -> "white cells on the field's own scale " + own.whiteCells());
        assertTrue(own.rejected().get(0).reason().startsWith("debris"), () -> own.rejected().toString());

        double slide = 7.5 / RBC;
        Segmentation s = segmenter.segment(img, new ScaleHint(slide, 0.2));
        assertEquals(slide, s.micronsPerPixel(), 1e-12, "the slide's scale is used");
        assertEquals(own.fieldMicronsPerPixel(), s.fieldMicronsPerPixel(), 1e-12, "the field's own is reported");
        assertTrue(s.usedSlideScale());
        assertEquals(1, s.whiteCells().size(), () -> "white cells " + s.whiteCells() + ", rejected " + s.rejected());
        assertTrue(s.whiteCells().get(0).box().iou(new Box(277, 197, 86, 86)) > 0.6, () -> "box " + s.whiteCells());
        assertEquals(Math.round(4.4 * RBC), s.crops().get(0).image().width(), "crop from the slide's scale");

        // A slide scale that the field's own agrees with (within the tolerance) leaves the field's own in use.
        Segmentation agreeing = segmenter.segment(img, new ScaleHint(own.fieldMicronsPerPixel() * 1.1, 0.2));
        assertEquals(own.fieldMicronsPerPixel(), agreeing.micronsPerPixel(), 1e-12);
        assertFalse(agreeing.usedSlideScale());
        assertTrue(agreeing.whiteCells().isEmpty());

        // With the default tolerance (0) even an agreeing field is segmented on the slide's scale.
        double near = own.fieldMicronsPerPixel() * 1.05;
        Segmentation byDefault = segmenter.segment(img,
                new ScaleHint(near, SegmenterConfig.DEFAULT_SLIDE_SCALE_TOLERANCE));
        assertEquals(near, byDefault.micronsPerPixel(), 1e-12);
        assertTrue(byDefault.usedSlideScale());
    }

    @Test
    void largeStainedAreaIsRejectedAsSmudge() {
        BgrImage img = new DrawnField(640, 480)
                .redCells(RBC, new int[][] {{320, 240}}, 150)
                .disc(320, 240, 95, DrawnField.NUCLEUS)  // ~10 red-cell discs of nuclear stain
                .render();
        Segmentation s = segmenter.segment(img);
        assertTrue(s.whiteCells().isEmpty(), () -> "white cells " + s.whiteCells());
        assertEquals(1, s.rejected().size());
        assertTrue(s.rejected().get(0).reason().startsWith("smudge"), s.rejected().get(0).reason());
    }

    @Test
    void cropFollowsTheRule() {
        BgrImage img = new DrawnField(640, 480)
                .redCells(RBC, new int[][] {{150, 120}}, 110)
                .disc(150, 120, 44, DrawnField.CYTOPLASM).disc(150, 120, 24, DrawnField.NUCLEUS)
                .render();
        Segmentation s = segmenter.segment(img);
        assertEquals(1, s.crops().size());
        CellCrop crop = s.crops().get(0);
        double rbcPx = 7.5 / s.micronsPerPixel();
        int side = (int) Math.round(4.4 * rbcPx);
        assertEquals(side, crop.image().width());
        assertEquals(side, crop.image().height());
        // The crop's centre pixel is the field pixel at the box centre; the crop reaches past the top edge, where
        // rows repeat the field's first row.
        Box sq = CropRule.square(crop.region().box(), rbcPx);
        assertTrue(sq.y() < 0, "this crop reaches outside the field");
        int cx = side / 2;
        assertEquals(img.blue(sq.x() + cx, sq.y() + cx), crop.image().blue(cx, cx));
        for (int row : new int[] {0, -sq.y() / 2, -sq.y()}) {
            assertEquals(img.green(sq.x() + cx, 0), crop.image().green(cx, row), "row " + row);
            assertEquals(img.red(sq.x() + cx, 0), crop.image().red(cx, row), "row " + row);
        }
    }

    @Test
    void unknownScaleGivesNaNAndBoxBasedCrop() {
        // No red cells: sizes are judged against the fallback red cell (0.15 x 640 = 96 px), so the nucleus is drawn
        // to that scale (0.5 red-cell discs).
        BgrImage img = new DrawnField(640, 480)
                .disc(320, 240, 56, DrawnField.CYTOPLASM).disc(320, 240, 34, DrawnField.NUCLEUS)
                .render();
        Segmentation s = segmenter.segment(img);
        assertTrue(Double.isNaN(s.micronsPerPixel()));
        assertEquals(1, s.crops().size());
        Box box = s.crops().get(0).region().box();
        assertEquals(Math.round(2.5 * Math.max(box.width(), box.height())), s.crops().get(0).image().width());
    }

    @Test
    void releasesNativeMemory() {
        BgrImage img = new DrawnField(640, 480).redCells(RBC, new int[][] {{320, 240}}, 110)
                .disc(320, 240, 44, DrawnField.CYTOPLASM).disc(320, 240, 24, DrawnField.NUCLEUS).render();
        segmenter.segment(img);
        long before = Pointer.totalBytes();
        for (int i = 0; i < 20; i++) {
            segmenter.segment(img);
        }
        long grown = Pointer.totalBytes() - before;
        assertTrue(grown < 64 * 1024, () -> "native memory grew by " + grown + " bytes over 20 fields");
    }
}
