package org.hematovision.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ConfidenceIntervalTest {

    /**
     * Reference values computed independently with SciPy 1.17.1:
     * {@code beta.ppf(0.025, x, n-x+1)} and {@code beta.ppf(0.975, x+1, n-x)} (the Clopper–Pearson
     * limits); 10/100 also agrees with R's {@code binom.test(10, 100)} (0.04900469, 0.17622260).
     */
    @ParameterizedTest
    @CsvSource({
            "10, 100, 0.04900469, 0.17622260",
            "0, 100, 0.00000000, 0.03621669",
            "50, 100, 0.39832113, 0.60167887",
            "50, 200, 0.19160717, 0.31596283",
            "100, 100, 0.96378331, 1.00000000",
            "9, 100, 0.04198360, 0.16398226",
            "1, 100, 0.00025315, 0.05445939",
            "3, 200, 0.00310411, 0.04320828",
    })
    void matchesIndependentClopperPearsonValues(int x, int n, double lower, double upper) {
        ConfidenceInterval ci = ConfidenceInterval.clopperPearson(x, n, 0.95);
        assertEquals(lower, ci.lower(), 5e-9, "lower " + x + "/" + n);
        assertEquals(upper, ci.upper(), 5e-9, "upper " + x + "/" + n);
    }

    @Test
    void noCellsMeansNoInformation() {
        assertEquals(new ConfidenceInterval(0, 1), ConfidenceInterval.clopperPearson(0, 0, 0.95));
    }

    @Test
    void rejectsImpossibleCounts() {
        assertThrows(IllegalArgumentException.class, () -> ConfidenceInterval.clopperPearson(5, 4, 0.95));
        assertThrows(IllegalArgumentException.class, () -> ConfidenceInterval.clopperPearson(1, 4, 1.0));
    }
}
