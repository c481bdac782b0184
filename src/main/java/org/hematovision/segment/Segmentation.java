package org.hematovision.segment;

import java.util.List;

/**
 * What classical segmentation found in one field.
 *
 * @param whiteCells       every white cell counted (including border-cut ones)
 * @param redCells         red cells (estimate: overlapping cells are split heuristically)
 * @param platelets        platelets
 * @param crops            crops of the white cells to classify (border-cut cells with too little visible are left out)
 * @param micronsPerPixel  scale used for the size limits and crops: the field's own estimate, or the slide's
 *                         ({@link ScaleHint}) when the field's disagrees with it or is unknown; NaN when neither
 *                         is known
 * @param rejected         objects with nucleus colour rejected as debris/smudge, with reasons
 * @param fieldMicronsPerPixel this field's own estimate from its median red-cell diameter, or NaN when too few red
 *                         cells were seen (what a {@link ScaleTracker} accumulates)
 */
public record Segmentation(
        List<CellRegion> whiteCells,
        List<CellRegion> redCells,
        List<CellRegion> platelets,
        List<CellCrop> crops,
        double micronsPerPixel,
        List<Rejection> rejected,
        double fieldMicronsPerPixel) {

    public Segmentation {
        whiteCells = List.copyOf(whiteCells);
        redCells = List.copyOf(redCells);
        platelets = List.copyOf(platelets);
        crops = List.copyOf(crops);
        rejected = List.copyOf(rejected);
    }

    /** A segmentation whose scale is the field's own ({@code micronsPerPixel} used and estimated alike). */
    public Segmentation(List<CellRegion> whiteCells, List<CellRegion> redCells, List<CellRegion> platelets,
                        List<CellCrop> crops, double micronsPerPixel, List<Rejection> rejected) {
        this(whiteCells, redCells, platelets, crops, micronsPerPixel, rejected, micronsPerPixel);
    }

    /** True when the slide's scale was used instead of the field's own estimate. */
    public boolean usedSlideScale() {
        return Double.compare(micronsPerPixel, fieldMicronsPerPixel) != 0 && !Double.isNaN(micronsPerPixel);
    }

    /** An object that looked like a nucleus but was not counted. */
    public record Rejection(org.hematovision.image.Box box, String reason) {
    }
}
