package org.hematovision.sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hematovision.classify.Prediction;

/**
 * Running white-cell differential of one sample: counts per label, review and abnormal counts,
 * red cells and platelets seen. Mutable and confined to the pipeline thread; everything it hands
 * out is an immutable {@link DifferentialSnapshot}.
 *
 * <p>Nucleated red cells ({@link #NUCLEATED_RED_CELL_LABELS}) are counted with the white cells (the
 * segmenter cannot tell them apart) but, as in a manual differential, they do not count towards the
 * target: "100 cells" means 100 leukocytes, with nRBC reported per 100 leukocytes.
 */
public final class Differential {

    /** Model labels that are nucleated red cells (the PBC data set calls them erythroblasts). */
    public static final Set<String> NUCLEATED_RED_CELL_LABELS = Set.of("erythroblast", "nrbc");

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
        counts.put(Prediction.REVIEW, 0);
    }

    /** Adds one analysed field; returns the calls that were counted as white cells. */
    public List<CellCall> add(FieldReport report) {
        add(FieldTally.of(report, excludedLabels));
        List<CellCall> counted = new ArrayList<>();
        for (CellCall call : report.calls()) {
            if (!excludedLabels.contains(call.countedLabel())) {
                counted.add(call);
            }
        }
        return counted;
    }

    /** Adds one field's counts (a live field, or one replayed from the journal). */
    public void add(FieldTally tally) {
        fields++;
        redCells += tally.redCells();
        platelets += tally.platelets();
        for (var e : tally.counts().entrySet()) {
            counts.merge(e.getKey(), e.getValue(), Integer::sum);
            whiteCells += e.getValue();
        }
        review += tally.review();
        abnormal += tally.abnormal();
    }

    public Set<String> excludedLabels() {
        return excludedLabels;
    }

    /** White cells counted that are leukocytes, i.e. without nucleated red cells. */
    public int leukocytes() {
        return snapshot().leukocytes();
    }

    public boolean targetReached() {
        return targetCells > 0 && leukocytes() >= targetCells;
    }

    public DifferentialSnapshot snapshot() {
        return new DifferentialSnapshot(sampleId, counts, whiteCells, review, abnormal, redCells, platelets, fields,
                targetCells);
    }
}
