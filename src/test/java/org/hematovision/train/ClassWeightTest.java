package org.hematovision.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** {@code train --class-weight}: what the settings accept, and the weighted loss the trainer minimizes. */
class ClassWeightTest {

    private static final Path P = Path.of("x");

    private static TrainConfig config(Map<String, Double> weights) {
        return new TrainConfig(P, P, P, P, 224, 6, 15, 12, 32, 2e-4f, 1L, 11, TrainConfig.Weights.BEST, false, 1, weights);
    }

    @Test
    void weightsFollowTheLabelOrderAndDefaultToOne() {
        TrainConfig cfg = config(Map.of("ig", 2.0, "neutrophil", 0.5));
        float[] expected = new float[PbcManifest.LABELS.size()];
        java.util.Arrays.fill(expected, 1f);
        expected[PbcManifest.LABELS.indexOf("ig")] = 2f;
        expected[PbcManifest.LABELS.indexOf("neutrophil")] = 0.5f;
        assertArrayEquals(expected, cfg.lossWeights());
        assertEquals(" --class-weight ig=2.0 --class-weight neutrophil=0.5", cfg.classWeightOptions());
    }

    @Test
    void noWeightsOrAllOnesKeepThePlainLoss() {
        assertNull(config(Map.of()).lossWeights());
        assertNull(config(null).lossWeights());
        assertNull(config(Map.of("ig", 1.0)).lossWeights());
        assertEquals("", config(Map.of("ig", 1.0)).classWeightOptions());
    }

    @Test
    void unknownLabelsAndOutOfRangeWeightsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config(Map.of("blast", 2.0)));
        assertTrue(e.getMessage().contains("blast"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> config(Map.of("ig", 0.0)));
        assertThrows(IllegalArgumentException.class, () -> config(Map.of("ig", -1.0)));
        assertThrows(IllegalArgumentException.class, () -> config(Map.of("ig", TrainConfig.MAX_CLASS_WEIGHT + 0.5)));
        assertThrows(IllegalArgumentException.class, () -> config(Map.of("ig", Double.NaN)));
        Map<String, Double> nullValue = new HashMap<>();
        nullValue.put("ig", null);
        assertThrows(IllegalArgumentException.class, () -> config(nullValue));
    }

    @Test
    void eachCellsLossIsScaledByItsTargetsWeight() {
        // three cells with losses 1, 2, 3; targets: class 0, class 1, and a 50/50 blend (as label smoothing gives)
        float[] perCell = {1f, 2f, 3f};
        float[] target = {1f, 0f, 0f, 1f, 0.5f, 0.5f};
        float[] weights = {4f, 1f};
        assertEquals((4 * 1 + 1 * 2 + 2.5 * 3) / 3.0, loss(perCell, target, weights), 1e-6);
        assertEquals((1 + 2 + 3) / 3.0, loss(perCell, target, null), 1e-6);
    }

    private static double loss(float[] perCell, float[] target, float[] weights) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Operand<TFloat32> l = Trainer.meanLoss(tf, tf.constant(perCell), tf.reshape(tf.constant(target), tf.constant(new int[] {3, 2})),
                    weights);
            try (Session s = new Session(g); Result r = s.runner().fetch(l).run()) {
                return ((TFloat32) r.get(0)).getFloat();
            }
        }
    }
}
