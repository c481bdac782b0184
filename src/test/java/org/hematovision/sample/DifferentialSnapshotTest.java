package org.hematovision.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The live figures (screen, MQTT) use the report's unit: per 100 leukocytes. */
class DifferentialSnapshotTest {

    @Test
    void percentagesArePer100LeukocytesAsInTheReport() {
        DifferentialSnapshot d = new DifferentialSnapshot("S", Map.of("neutrophil", 60, "lymphocyte", 20, "review", 0,
                "erythroblast", 20), 100, 0, 20, 0, 0, 5, 100);
        assertEquals(80, d.leukocytes());
        assertEquals(75.0, d.percent("neutrophil"), 1e-9); // 60 of 80 leukocytes, not 60 of 100 white cells
        assertEquals(25.0, d.percent("erythroblast"), 1e-9); // nRBC per 100 leukocytes
        assertEquals(0.0, new DifferentialSnapshot("S", Map.of("erythroblast", 3), 3, 0, 3, 0, 0, 1, 100)
                .percent("erythroblast"));
    }
}
