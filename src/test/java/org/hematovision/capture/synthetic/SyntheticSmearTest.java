package org.hematovision.capture.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.hematovision.config.ConfigException;
import org.hematovision.image.BgrImage;
import org.hematovision.image.Box;
import org.hematovision.segment.CellKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SyntheticSmearTest {

    @Test
    void deterministicPerSeed() {
        SyntheticSmear smear = new SyntheticSmear(SmearParams.defaults());
        SyntheticField a = smear.generate(42);
        SyntheticField b = new SyntheticSmear(SmearParams.defaults()).generate(42);
        assertEquals(a, b);
        assertNotEquals(a.image(), smear.generate(43).image());
    }

    @Test
    void drawsTheRequestedCellsInsideTheImage() {
        SmearParams p = SmearParams.defaults().withClassMix(SmearParams.UNIFORM_MIX).withCounts(12, 90, 6);
        SyntheticField f = new SyntheticSmear(p).generate(7);
        long rbc = f.cells().stream().filter(c -> c.kind() == CellKind.RBC).count();
        long fromMix = f.cells().stream().filter(c -> c.kind() == CellKind.WBC).count()
                + f.cells().stream().filter(c -> c.kind() == CellKind.PLATELET).count() - p.plateletCount();
        assertEquals(90, rbc);
        assertEquals(12, fromMix);
        for (TruthCell c : f.cells()) {
            Box b = c.box();
            assertTrue(b.x() >= 0 && b.y() >= 0 && b.right() <= p.width() && b.bottom() <= p.height() && b.area() > 0,
                    c.toString());
            switch (c.kind()) {
                case RBC -> assertEquals("rbc", c.label());
                case PLATELET -> assertEquals("platelet", c.label());
                case WBC -> assertTrue(SmearParams.CLASSES.contains(c.label()) && !c.label().equals("platelet"), c.label());
            }
        }
        // White cells are drawn whole, never cut by the border.
        f.cells().stream().filter(c -> c.kind() == CellKind.WBC)
                .forEach(c -> assertTrue(!c.box().touchesBorder(p.width(), p.height()), c.toString()));
    }

    @Test
    void whiteCellsLookDifferentPerClass() {
        // Each class alone: the mean colour inside the white-cell boxes must differ between classes, e.g.
        // eosinophils redder than lymphocytes, basophils darker than neutrophils.
        Map<String, double[]> colour = new java.util.TreeMap<>();
        for (String label : new String[] {"neutrophil", "eosinophil", "basophil", "lymphocyte"}) {
            SmearParams p = SmearParams.defaults().withClassMix(Map.of(label, 1.0)).withCounts(4, 40, 0);
            SyntheticField f = new SyntheticSmear(p).generate(3);
            double[] sum = new double[3];
            int n = 0;
            for (TruthCell c : f.cells()) {
                if (c.kind() == CellKind.WBC) {
                    assertEquals(label, c.label());
                    BgrImage crop = f.image().crop(c.box());
                    for (int i = 0; i < crop.pixels().length; i += 3) {
                        for (int k = 0; k < 3; k++) {
                            sum[k] += crop.pixels()[i + k] & 0xff;
                        }
                        n++;
                    }
                }
            }
            final int count = n;
            colour.put(label, Arrays.stream(sum).map(v -> v / count).toArray());
        }
        double eosRedness = colour.get("eosinophil")[2] - colour.get("eosinophil")[0];
        double lymRedness = colour.get("lymphocyte")[2] - colour.get("lymphocyte")[0];
        assertTrue(eosRedness > lymRedness + 20, "eosinophil R-B " + eosRedness + " vs lymphocyte " + lymRedness);
        double basoLuma = Arrays.stream(colour.get("basophil")).sum();
        double neutroLuma = Arrays.stream(colour.get("neutrophil")).sum();
        assertTrue(basoLuma < neutroLuma - 60, "basophil " + basoLuma + " vs neutrophil " + neutroLuma);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.1, 0.2, 0.35})
    void redCellsHaveTheirSizeInMicrons(double micronsPerPixel) {
        SmearParams p = SmearParams.defaults().withScale(micronsPerPixel).withCounts(2, 60, 4);
        SyntheticField f = new SyntheticSmear(p).generate(11);
        assertEquals(micronsPerPixel, f.micronsPerPixel());
        double[] diameters = f.cells().stream().filter(c -> c.kind() == CellKind.RBC)
                .filter(c -> !c.box().touchesBorder(p.width(), p.height()))
                .mapToDouble(c -> (c.box().width() + c.box().height()) / 2.0).sorted().toArray();
        assertTrue(diameters.length >= 10, "enough whole red cells: " + diameters.length);
        double median = diameters[diameters.length / 2];
        double expected = SyntheticSmear.RBC_DIAMETER_UM / micronsPerPixel;
        assertEquals(expected, median, expected * 0.10, "median red-cell diameter in pixels");
    }

    @Test
    void paramsValidateNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> SmearParams.defaults().withScale(3));
        assertEquals("synthetic.micronsPerPixel", e.key());
        e = assertThrows(ConfigException.class, () -> SmearParams.defaults().withClassMix(Map.of("blast", 1.0)));
        assertTrue(e.getMessage().contains("blast") && e.getMessage().contains("neutrophil"), e.getMessage());
    }
}
