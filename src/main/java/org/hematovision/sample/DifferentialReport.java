package org.hematovision.sample;

import java.time.Instant;
import java.util.List;

/**
 * The finished (or current) differential as a clinician reads it: percentages of leukocytes with
 * confidence intervals, nucleated red cells per 100 leukocytes, red-cell and platelet estimates per
 * field, and the flags. Built from a {@link DifferentialSnapshot} by {@link ReportBuilder}; the JSON
 * record, the PNG page and the FHIR bundle are all rendered from this one value.
 *
 * @param sampleId          sample id
 * @param started           when counting began
 * @param finished          when it closed
 * @param reason            a {@link FinishReason}
 * @param complete          true when the target number of leukocytes was counted
 * @param targetCells       the target
 * @param leukocytes        leukocytes counted (the denominator of every percentage; nRBC not included)
 * @param fields            fields analysed
 * @param rows              one per cell type: the five normal types, immature granulocytes, any other
 *                          class the model has, then unidentified ({@code review}) cells
 * @param nrbc              nucleated red cells per 100 leukocytes
 * @param redCellsPerField  mean red cells per field (an estimate: overlaps are split heuristically)
 * @param plateletsPerField mean platelets per field (an estimate)
 * @param abnormal          cells with an abnormal label (of the leukocytes and nRBC)
 * @param confidence        confidence level of every interval (e.g. 0.95)
 * @param flags             flags raised
 */
public record DifferentialReport(String sampleId, Instant started, Instant finished, String reason, boolean complete,
                                 int targetCells, int leukocytes, int fields, List<CellTypeResult> rows,
                                 NrbcResult nrbc, double redCellsPerField, double plateletsPerField, int abnormal,
                                 double confidence, List<Flag> flags) {

    public DifferentialReport {
        rows = List.copyOf(rows);
        flags = List.copyOf(flags);
    }

    public boolean aborted() {
        return FinishReason.ABORTED.equals(reason);
    }

    public java.util.Optional<CellTypeResult> row(String label) {
        return rows.stream().filter(r -> r.label().equals(label)).findFirst();
    }

    /**
     * One cell type.
     *
     * @param label     model label ({@code review} for unidentified cells)
     * @param count     cells counted
     * @param percent   % of leukocytes
     * @param ci        confidence interval of the proportion (0..1)
     * @param reference adult reference interval in %, or null when none applies
     */
    public record CellTypeResult(String label, int count, double percent, ConfidenceInterval ci,
                                 ReferenceInterval reference) {
    }

    /**
     * Nucleated red cells.
     *
     * @param count  nRBC counted
     * @param per100 nRBC per 100 leukocytes
     * @param low    lower confidence limit per 100 leukocytes
     * @param high   upper confidence limit per 100 leukocytes (infinite when no leukocyte was counted)
     */
    public record NrbcResult(int count, double per100, double low, double high) {
    }
}
