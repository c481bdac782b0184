package org.hematovision.sample;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What one field adds to a differential, reduced to counts: the unit the {@link SampleJournal} makes
 * durable and the unit a resumed sample is rebuilt from. Both the live count and the replay go
 * through {@link Differential#add(FieldTally)}, so they cannot disagree.
 *
 * @param fieldIndex field index as given by the gate
 * @param time       when the field was analysed
 * @param counts     white cells per counted label (labels the model excludes are not here)
 * @param review     of which sent to review
 * @param abnormal   of which with an abnormal label
 * @param redCells   red cells the segmenter found in the field
 * @param platelets  platelets: the segmenter's plus white-cell candidates the classifier called a platelet
 */
public record FieldTally(long fieldIndex, Instant time, Map<String, Integer> counts, int review, int abnormal,
                         long redCells, long platelets) {

    public FieldTally {
        counts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        for (var e : counts.entrySet()) {
            if (e.getValue() == null || e.getValue() < 0) {
                throw new IllegalArgumentException("count of " + e.getKey() + " must be >= 0, got " + e.getValue());
            }
        }
        if (review < 0 || abnormal < 0 || redCells < 0 || platelets < 0) {
            throw new IllegalArgumentException("field " + fieldIndex + ": negative tally");
        }
    }

    /** The tally of {@code report}, treating {@code excludedLabels} as not white cells. */
    public static FieldTally of(FieldReport report, Set<String> excludedLabels) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        int review = 0;
        int abnormal = 0;
        long platelets = report.segmentation().platelets().size();
        for (CellCall call : report.calls()) {
            String label = call.countedLabel();
            if (excludedLabels.contains(label)) {
                // The segmenter took it for a white cell, the classifier says it is not one.
                platelets++;
                continue;
            }
            counts.merge(label, 1, Integer::sum);
            if (call.review()) {
                review++;
            }
            if (call.abnormal()) {
                abnormal++;
            }
        }
        return new FieldTally(report.field().index(), report.time(), counts, review, abnormal,
                report.segmentation().redCells().size(), platelets);
    }

    public int whiteCells() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
}
