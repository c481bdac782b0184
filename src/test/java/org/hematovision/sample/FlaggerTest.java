package org.hematovision.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hematovision.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each flag fires on a constructed differential whose whole 95% interval clears the limit, and stays
 * silent for a count whose interval still includes it. Interval texts checked against SciPy values
 * (see {@link ConfidenceIntervalTest}).
 */
class FlaggerTest {

    private static final Instant T0 = Instant.parse("2026-11-24T08:00:00Z");
    private final ReportBuilder builder = new ReportBuilder(FlagConfig.defaults());

    /** A normal 100-cell differential with {@code overrides}; neutrophils absorb the difference. */
    static DifferentialSnapshot snapshot(Map<String, Integer> overrides) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("neutrophil", 60);
        counts.put("lymphocyte", 30);
        counts.put("monocyte", 6);
        counts.put("eosinophil", 3);
        counts.put("basophil", 1);
        counts.put("ig", 0);
        counts.put("erythroblast", 0);
        counts.put("review", 0);
        counts.putAll(overrides);
        if (!overrides.containsKey("neutrophil")) {
            int others = counts.entrySet().stream()
                    .filter(e -> !e.getKey().equals("neutrophil") && !e.getKey().equals("erythroblast"))
                    .mapToInt(Map.Entry::getValue).sum();
            counts.put("neutrophil", 100 - others);
        }
        int white = counts.values().stream().mapToInt(Integer::intValue).sum();
        return new DifferentialSnapshot("S1", counts, white, counts.get("review"), counts.get("ig")
                + counts.get("erythroblast"), 5000, 300, 20, 100);
    }

    private List<Flag> flags(Map<String, Integer> overrides) {
        return builder.build(snapshot(overrides), T0, T0.plusSeconds(600), FinishReason.TARGET).flags();
    }

    private static Optional<Flag> find(List<Flag> flags, String code) {
        return flags.stream().filter(f -> f.code().equals(code)).findFirst();
    }

    @Test
    void normalDifferentialRaisesNothing() {
        assertEquals(List.of(), flags(Map.of()));
    }

    @ParameterizedTest(name = "{0}: {1}={2} fires, {1}={3} silent")
    @CsvSource(delimiter = ';', value = {
            "eosinophilia; eosinophil; 15; 9; eosinophilia: 15% (95% CI 8.6–23.5%) above 6%",
            "neutrophilia; neutrophil; 90; 85; neutrophilia: 90% (95% CI 82.4–95.1%) above 80%",
            "neutropenia; neutrophil; 28; 35; neutropenia: 28% (95% CI 19.5–37.9%) below 40%",
            "lymphocytosis; lymphocyte; 55; 45; lymphocytosis: 55% (95% CI 44.7–65.0%) above 40%",
            "lymphopenia; lymphocyte; 10; 15; lymphopenia: 10% (95% CI 4.9–17.6%) below 20%",
            "monocytosis; monocyte; 20; 14; monocytosis: 20% (95% CI 12.7–29.2%) above 10%",
            "basophilia; basophil; 7; 4; basophilia: 7% (95% CI 2.9–13.9%) above 2%",
            "left-shift; ig; 1; 0; left shift (immature granulocytes present): 1% (95% CI 0.0–5.4%) above 0%",
            "high-review-rate; review; 20; 14; high review rate (check smear and stain): 20% (95% CI 12.7–29.2%) above 10%",
    })
    void firesOnlyWhenTheIntervalClearsTheLimit(String code, String label, int firing, int silent, String text) {
        Map<String, Integer> fire = new LinkedHashMap<>(Map.of(label, firing));
        Map<String, Integer> quiet = new LinkedHashMap<>(Map.of(label, silent));
        if (label.equals("neutrophil")) {
            // keep 100 cells: lymphocytes absorb the difference
            fire.put("lymphocyte", 100 - firing - 10);
            quiet.put("lymphocyte", 100 - silent - 10);
            fire.put("monocyte", 6);
            fire.put("eosinophil", 3);
            fire.put("basophil", 1);
            quiet.putAll(Map.of("monocyte", 6, "eosinophil", 3, "basophil", 1));
        }
        Flag f = find(flags(fire), code).orElseThrow(() -> new AssertionError(code + " did not fire: " + flags(fire)));
        assertEquals(text, f.text());
        assertEquals(label, f.label());
        assertTrue(find(flags(quiet), code).isEmpty(), code + " fired although the interval includes the limit");
    }

    @Test
    void nucleatedRedCellsArePer100LeukocytesAndFlagged() {
        DifferentialReport r = builder.build(snapshot(Map.of("erythroblast", 3)), T0, T0, FinishReason.TARGET);
        assertEquals(100, r.leukocytes(), "nRBC are not leukocytes");
        assertEquals(3.0, r.nrbc().per100(), 1e-9);
        Flag f = find(r.flags(), "nrbc").orElseThrow();
        assertTrue(f.text().startsWith("nucleated red cells: 3 per 100 leukocytes (95% CI "), f.text());
        assertTrue(find(flags(Map.of("erythroblast", 0)), "nrbc").isEmpty());
    }

    @Test
    void aLowFlagMustHoldWithEveryUnidentifiedCellCountedAsThatType() {
        // 300 leukocytes, 40 lymphocytes (13.3%, 95% CI 9.7-17.7%) and 88 unidentified: the 212 identified
        // cells hold 18.9% lymphocytes, so the smear, not the patient, may explain the low share
        Map<String, Integer> poorStain = Map.of("neutrophil", 150, "lymphocyte", 40, "monocyte", 15, "eosinophil", 6,
                "basophil", 1, "review", 88);
        assertTrue(find(flags(poorStain), "lymphopenia").isEmpty(), flags(poorStain).toString());
        assertTrue(find(flags(poorStain), "high-review-rate").isPresent());
        // with 3 unidentified cells the low share stands, and the text says why
        Map<String, Integer> fewUnidentified = Map.of("neutrophil", 250, "lymphocyte", 30, "monocyte", 15,
                "eosinophil", 6, "basophil", 1, "review", 3);
        Flag f = find(flags(fewUnidentified), "lymphopenia").orElseThrow(() -> new AssertionError(flags(fewUnidentified)));
        assertTrue(f.text().startsWith("lymphopenia: 9.8% (95% CI "), f.text());
        assertTrue(f.text().contains("below it even if all 3 unidentified cells were lymphocytes (upper limit "), f.text());
    }

    @Test
    void nucleatedRedCellsWithNoLeukocyteAreStillFlagged() {
        Map<String, Integer> none = new LinkedHashMap<>();
        for (String label : List.of("neutrophil", "lymphocyte", "monocyte", "eosinophil", "basophil", "ig", "review")) {
            none.put(label, 0);
        }
        none.put("erythroblast", 5);
        DifferentialSnapshot d = new DifferentialSnapshot("S1", none, 5, 0, 5, 300, 20, 3, 100);
        List<Flag> flags = builder.build(d, T0, T0, FinishReason.OPERATOR).flags();
        assertEquals("nucleated red cells: 5 seen, no leukocytes counted to relate them to",
                find(flags, "nrbc").orElseThrow(() -> new AssertionError(flags)).text());
    }

    @Test
    void tooFewCells() {
        Map<String, Integer> half = Map.of("neutrophil", 30, "lymphocyte", 15, "monocyte", 3, "eosinophil", 1,
                "basophil", 1);
        Flag f = find(flags(half), "too-few-cells").orElseThrow();
        assertEquals("too few cells: 50 leukocytes counted, at least 100 needed (intervals are wide)", f.text());
        assertTrue(find(flags(Map.of()), "too-few-cells").isEmpty());
    }

    @Test
    void percentagesUseLeukocytesAsDenominatorAndSumTo100() {
        DifferentialReport r = builder.build(snapshot(Map.of("erythroblast", 5, "review", 4)), T0, T0, FinishReason.TARGET);
        double sum = r.rows().stream().mapToDouble(DifferentialReport.CellTypeResult::percent).sum();
        assertEquals(100.0, sum, 1e-9);
        assertEquals(4.0, r.row("review").orElseThrow().percent(), 1e-9);
        assertFalse(r.row("erythroblast").isPresent(), "nRBC have their own line, not a differential row");
    }

    @Test
    void configErrorsNameTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> FlagConfig.interval("eosinophil", 8, 6));
        assertEquals("flags.eosinophil.low", e.key());
        Map<String, ReferenceInterval> bad = new LinkedHashMap<>(FlagConfig.DEFAULT_INTERVALS);
        bad.put("blast", new ReferenceInterval(0, 0));
        ConfigException unknown = assertThrows(ConfigException.class, () -> new FlagConfig(bad, 0, 0, 10, 100, 0.95));
        assertTrue(unknown.getMessage().contains("allowed: neutrophil"), unknown.getMessage());
        ConfigException conf = assertThrows(ConfigException.class,
                () -> new FlagConfig(FlagConfig.DEFAULT_INTERVALS, 0, 0, 10, 100, 0.5));
        assertEquals("flags.confidence", conf.key());
        ConfigException target = assertThrows(ConfigException.class, () -> new SampleConfig(0, 0, 0, true));
        assertEquals("sample.targetCells", target.key());
    }
}
