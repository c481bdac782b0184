package org.hematovision.sample;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Running white-cell differential of one sample: counts per label, review and abnormal counts,
 * red cells and platelets seen. Mutable and confined to the pipeline thread; everything it hands
 * out is an immutable {@link DifferentialSnapshot}.
 */
public final class Differential {

    private final String sampleId;
    private final int targetCells;
    private final Set<String> excludedLabels;
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private int whiteCells;
    private int review;
    private int abnormal;
    private long redCells;
    private long platelets;
    private int fields;

    /**
     * @param labels         the classifier's labels in model order (excluded ones are not listed as white cells)
     * @param excludedLabels labels that are not white cells (a crop classified as platelet counts as a platelet)
     */
    public Differential(String sampleId, List<String> labels, Set<String> excludedLabels, int targetCells) {
        this.sampleId = sampleId;
        this.targetCells = targetCells;
        this.excludedLabels = Set.copyOf(excludedLabels);
        for (String label : labels) {
            if (!excludedLabels.contains(label)) {
                counts.put(label, 0);
            }
        }
        counts.put(org.hematovision.classify.Prediction.REVIEW, 0);
    }

    /** Adds one analysed field; returns the calls that were counted as white cells. */
    public List<CellCall> add(FieldReport report) {
        fields++;
        redCells += report.segmentation().redCells().size();
        platelets += report.segmentation().platelets().size();
        List<CellCall> counted = new java.util.ArrayList<>();
        for (CellCall call : report.calls()) {
            String label = call.countedLabel();
            if (excludedLabels.contains(label)) {
                // The segmenter took it for a white cell, the classifier says it is not one.
                platelets++;
                continue;
            }
            counts.merge(label, 1, Integer::sum);
            whiteCells++;
            if (call.review()) {
                review++;
            }
            if (call.abnormal()) {
                abnormal++;
            }
            counted.add(call);
        }
        return counted;
    }

    public boolean targetReached() {
        return targetCells > 0 && whiteCells >= targetCells;
    }

    public DifferentialSnapshot snapshot() {
        return new DifferentialSnapshot(sampleId, counts, whiteCells, review, abnormal, redCells, platelets, fields,
                targetCells);
    }
}
