package org.hematovision.segment;

import java.util.List;

/**
 * What classical segmentation found in one field.
 *
 * @param whiteCells       every white cell counted (including border-cut ones)
 * @param redCells         red cells (estimate: overlapping cells are split heuristically)
 * @param platelets        platelets
 * @param crops            crops of the white cells to classify (border-cut cells with too little visible are left out)
 * @param micronsPerPixel  scale estimated from the median red-cell diameter, or NaN when too few red cells were seen
 * @param rejected         objects with nucleus colour rejected as debris/smudge, with reasons
 */
public record Segmentation(
        List<CellRegion> whiteCells,
        List<CellRegion> redCells,
        List<CellRegion> platelets,
        List<CellCrop> crops,
        double micronsPerPixel,
        List<Rejection> rejected) {

    public Segmentation {
        whiteCells = List.copyOf(whiteCells);
        redCells = List.copyOf(redCells);
        platelets = List.copyOf(platelets);
        crops = List.copyOf(crops);
        rejected = List.copyOf(rejected);
    }

    /** An object that looked like a nucleus but was not counted. */
    public record Rejection(org.hematovision.image.Box box, String reason) {
    }
}
