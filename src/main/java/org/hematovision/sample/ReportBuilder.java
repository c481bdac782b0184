package org.hematovision.sample;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hematovision.classify.Prediction;

/** Turns a {@link DifferentialSnapshot} into a {@link DifferentialReport} with intervals and flags. */
public final class ReportBuilder {

    /** Label of immature granulocytes (promyelocytes, myelocytes, metamyelocytes) in the PBC-trained model. */
    public static final String IG_LABEL = "ig";

    private final FlagConfig config;
    private final Flagger flagger;

    public ReportBuilder(FlagConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.flagger = new Flagger(config);
    }

    public DifferentialReport build(DifferentialSnapshot s, Instant started, Instant finished, String reason) {
        Map<String, Integer> counts = s.counts();
        int nrbcCount = 0;
        for (String label : Differential.NUCLEATED_RED_CELL_LABELS) {
            nrbcCount += counts.getOrDefault(label, 0);
        }
        int leukocytes = s.leukocytes();
        double level = config.confidence();

        List<String> order = new ArrayList<>(FlagConfig.NORMAL_TYPES);
        order.add(IG_LABEL);
        for (String label : counts.keySet()) {
            if (!order.contains(label) && !label.equals(Prediction.REVIEW)
                    && !Differential.NUCLEATED_RED_CELL_LABELS.contains(label)) {
                order.add(label);
            }
        }
        order.add(Prediction.REVIEW);
        List<DifferentialReport.CellTypeResult> rows = new ArrayList<>();
        for (String label : order) {
            int n = counts.getOrDefault(label, 0);
            double pct = leukocytes == 0 ? 0 : 100.0 * n / leukocytes;
            rows.add(new DifferentialReport.CellTypeResult(label, n, pct,
                    ConfidenceInterval.clopperPearson(n, leukocytes, level), config.intervals().get(label)));
        }

        // nRBC per 100 leukocytes: an exact interval for the nRBC share of nucleated cells p, mapped to 100 p/(1-p).
        int nucleated = leukocytes + nrbcCount;
        ConfidenceInterval share = ConfidenceInterval.clopperPearson(nrbcCount, nucleated, level);
        DifferentialReport.NrbcResult nrbc = new DifferentialReport.NrbcResult(nrbcCount,
                leukocytes == 0 ? 0 : 100.0 * nrbcCount / leukocytes, per100(share.lower()), per100(share.upper()));

        boolean complete = s.targetCells() > 0 && leukocytes >= s.targetCells();
        double rbcPerField = s.fields() == 0 ? 0 : (double) s.redCells() / s.fields();
        double pltPerField = s.fields() == 0 ? 0 : (double) s.platelets() / s.fields();
        DifferentialReport draft = new DifferentialReport(s.sampleId(), started, finished, reason, complete,
                s.targetCells(), leukocytes, s.fields(), rows, nrbc, rbcPerField, pltPerField, s.abnormal(), level,
                List.of());
        return new DifferentialReport(s.sampleId(), started, finished, reason, complete, s.targetCells(), leukocytes,
                s.fields(), rows, nrbc, rbcPerField, pltPerField, s.abnormal(), level, flagger.flags(draft));
    }

    private static double per100(double p) {
        return p >= 1 ? Double.POSITIVE_INFINITY : 100 * p / (1 - p);
    }
}
