package org.hematovision.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hematovision.classify.Prediction;

/**
 * Raises clinical flags on a differential. Every flag on a measured proportion requires the whole
 * confidence interval to clear the limit, so "9 eosinophils in 100" (95% CI 4.2–16.4%) against an upper
 * limit of 6% stays silent, while the same 9% of 400 cells would not. The text says so.
 *
 * <p>Unidentified ("review") cells count in the denominator, so a "low" flag (e.g. lymphopenia) fires only
 * if it would hold with every unidentified cell counted as that type: a poorly stained smear must not
 * read as a deficiency.
 *
 * <p>The intervals are relative (% of leukocytes): without a leukocyte count the appliance cannot say
 * whether a relative change is an absolute one, and the report says this.
 */
public final class Flagger {

    private static final Map<String, String[]> NAMES = Map.of(
            "neutrophil", new String[] {"neutropenia", "neutrophilia"},
            "lymphocyte", new String[] {"lymphopenia", "lymphocytosis"},
            "monocyte", new String[] {"monocytopenia", "monocytosis"},
            "eosinophil", new String[] {"eosinopenia", "eosinophilia"},
            "basophil", new String[] {"basopenia", "basophilia"});

    private final FlagConfig config;

    public Flagger(FlagConfig config) {
        this.config = config;
    }

    public List<Flag> flags(DifferentialReport r) {
        List<Flag> flags = new ArrayList<>();
        String ci = ciName(r.confidence());
        if (r.leukocytes() < config.minCells()) {
            flags.add(new Flag("too-few-cells", String.format(Locale.ROOT,
                    "too few cells: %d leukocytes counted, at least %d needed (intervals are wide)",
                    r.leukocytes(), config.minCells()), ""));
        }
        if (r.leukocytes() == 0) {
            if (r.nrbc().count() > 0) {
                flags.add(new Flag("nrbc", String.format(Locale.ROOT,
                        "nucleated red cells: %d seen, no leukocytes counted to relate them to", r.nrbc().count()),
                        "erythroblast"));
            }
            return flags;
        }
        DifferentialReport.CellTypeResult review = r.row(Prediction.REVIEW).orElseThrow();
        for (String label : FlagConfig.NORMAL_TYPES) {
            DifferentialReport.CellTypeResult row = r.row(label).orElseThrow();
            ReferenceInterval ref = config.intervals().get(label);
            String[] names = NAMES.get(label);
            if (row.ci().lowerPercent() > ref.high()) {
                flags.add(new Flag(names[1], describe(names[1], row, ci, "above", ref.high()), label));
            } else if (ref.low() > 0 && row.ci().upperPercent() < ref.low()) {
                // Unidentified cells are in the denominator and may be of this type: a "low" flag must hold
                // even if every one of them were.
                double upperIfAll = 100 * ConfidenceInterval.clopperPearson(row.count() + review.count(),
                        r.leukocytes(), r.confidence()).upper();
                if (upperIfAll < ref.low()) {
                    String text = describe(names[0], row, ci, "below", ref.low());
                    if (review.count() > 0) {
                        text += String.format(Locale.ROOT, "; below it even if all %d unidentified cells were %ss "
                                + "(upper limit %s%%)", review.count(), label, num1(upperIfAll));
                    }
                    flags.add(new Flag(names[0], text, label));
                }
            }
        }
        r.row(ReportBuilder.IG_LABEL).ifPresent(ig -> {
            if (ig.ci().lowerPercent() > config.igMaxPercent()) {
                flags.add(new Flag("left-shift", describe("left shift (immature granulocytes present)", ig, ci, "above",
                        config.igMaxPercent()), ReportBuilder.IG_LABEL));
            }
        });
        DifferentialReport.NrbcResult nrbc = r.nrbc();
        if (nrbc.low() > config.nrbcMaxPer100()) {
            flags.add(new Flag("nrbc", String.format(Locale.ROOT,
                    "nucleated red cells: %s per 100 leukocytes (%s %s–%s) above %s per 100", num(nrbc.per100()), ci,
                    num1(nrbc.low()), num1(nrbc.high()), num(config.nrbcMaxPer100())), "erythroblast"));
        }
        if (review.ci().lowerPercent() > config.reviewMaxPercent()) {
            flags.add(new Flag("high-review-rate", describe("high review rate (check smear and stain)", review, ci,
                    "above", config.reviewMaxPercent()), Prediction.REVIEW));
        }
        return flags;
    }

    private static String describe(String name, DifferentialReport.CellTypeResult row, String ci, String side,
                                   double limit) {
        return String.format(Locale.ROOT, "%s: %s%% (%s %s–%s%%) %s %s%%", name, num(row.percent()), ci,
                num1(row.ci().lowerPercent()), num1(row.ci().upperPercent()), side, num(limit));
    }

    static String ciName(double level) {
        return String.format(Locale.ROOT, "%s%% CI", num(100 * level));
    }

    /** A value as a clinician writes it: no decimals when whole, else one. */
    static String num(double v) {
        double r = Math.round(v * 10) / 10.0;
        return r == Math.rint(r) ? String.format(Locale.ROOT, "%.0f", r) : String.format(Locale.ROOT, "%.1f", r);
    }

    static String num1(double v) {
        return Double.isInfinite(v) ? "∞" : String.format(Locale.ROOT, "%.1f", v);
    }
}
