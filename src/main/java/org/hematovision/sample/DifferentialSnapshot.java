package org.hematovision.sample;

import java.util.Map;

/**
 * The running differential of a sample at one moment (immutable copy).
 *
 * @param sampleId   sample id
 * @param counts     white cells per counted label (classes in model order, then {@code review}); platelets
 *                   predicted by the classifier are not here
 * @param whiteCells white cells counted (sum of {@code counts})
 * @param review     of which sent to review
 * @param abnormal   of which with an abnormal label
 * @param redCells   red cells seen in all fields (estimate)
 * @param platelets  platelets seen in all fields (estimate)
 * @param fields     fields analysed
 * @param targetCells the white-cell count at which the sample finishes (0 = no target)
 */
public record DifferentialSnapshot(String sampleId, Map<String, Integer> counts, int whiteCells, int review,
                                   int abnormal, long redCells, long platelets, int fields, int targetCells) {

    public DifferentialSnapshot {
        counts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(counts));
    }

    /** White cells counted that are leukocytes (nucleated red cells left out): the target's unit. */
    public int leukocytes() {
        int nrbc = 0;
        for (String label : Differential.NUCLEATED_RED_CELL_LABELS) {
            nrbc += counts.getOrDefault(label, 0);
        }
        return whiteCells - nrbc;
    }

    /**
     * Cells counted under {@code label} per 100 leukocytes, as the report gives them: the percentage for a
     * leukocyte class, nRBC per 100 leukocytes for nucleated red cells; 0 when no leukocyte was counted.
     */
    public double percent(String label) {
        int leukocytes = leukocytes();
        return leukocytes == 0 ? 0.0 : 100.0 * counts.getOrDefault(label, 0) / leukocytes;
    }
}
