package org.hematovision.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** {@code train --margin}: what the settings accept, and the logits the training loss sees. */
class ClassMarginTest {

    private static final Path P = Path.of("x");

    private static TrainConfig config(Map<String, Double> margins) {
        return new TrainConfig(P, P, P, P, 224, 6, 15, 12, 32, 2e-4f, 1L, 11, TrainConfig.Weights.BEST, false, 1,
                Map.of(), margins);
    }

    @Test
    void marginsFollowTheLabelOrderAndALabelOverridesAll() {
        float[] expected = new float[PbcManifest.LABELS.size()];
        Arrays.fill(expected, 0.5f);
        expected[PbcManifest.LABELS.indexOf("ig")] = 2f;
        TrainConfig cfg = config(Map.of("all", 0.5, "ig", 2.0));
        assertArrayEquals(expected, cfg.lossMargins());
        assertEquals(" --margin all=0.5 --margin ig=2.0", cfg.classMarginOptions());

        float[] igOnly = new float[PbcManifest.LABELS.size()];
        igOnly[PbcManifest.LABELS.indexOf("ig")] = 1f;
        assertArrayEquals(igOnly, config(Map.of("ig", 1.0)).lossMargins());
    }

    @Test
    void noMarginsOrAllZeroKeepThePlainLoss() {
        assertNull(config(Map.of()).lossMargins());
        assertNull(config(null).lossMargins());
        assertNull(config(Map.of("ig", 0.0)).lossMargins());
        assertEquals("", config(Map.of("all", 0.0)).classMarginOptions());
        // the constructor without margins is the one every earlier run used
        TrainConfig old = new TrainConfig(P, P, P, P, 224, 6, 15, 12, 32, 2e-4f, 1L, 11, TrainConfig.Weights.BEST, false, 1, Map.of());
        assertNull(old.lossMargins());
        try (Graph g = new Graph()) {
            Operand<TFloat32> logits = Ops.create(g).constant(new float[][] {{1f, 2f}});
            assertSame(logits, Trainer.marginLogits(Ops.create(g), logits, logits, null));
        }
    }

    @Test
    void unknownLabelsAndOutOfRangeMarginsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config(Map.of("blast", 1.0)));
        assertTrue(e.getMessage().contains("blast") && e.getMessage().contains("all"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> config(Map.of("ig", -0.1)));
        assertThrows(IllegalArgumentException.class, () -> config(Map.of("ig", TrainConfig.MAX_CLASS_MARGIN + 0.5)));
        assertThrows(IllegalArgumentException.class, () -> config(Map.of("ig", Double.NaN)));
    }

    @Test
    void onlyTheTrueClassLogitIsLoweredByItsOwnMargin() {
        // two cells, three classes; smoothed targets (true class 0.9) for class 0 and class 2
        float[][] logits = {{3f, 1f, 0f}, {0f, 1f, 2f}};
        float[][] target = {{0.9f, 0.05f, 0.05f}, {0.05f, 0.05f, 0.9f}};
        float[] margins = {1f, 0f, 2.5f};
        float[] out = marginLogits(logits, target, margins);
        assertArrayEquals(new float[] {2f, 1f, 0f, 0f, 1f, -0.5f}, out, 1e-6f);
    }

    private static float[] marginLogits(float[][] logits, float[][] target, float[] margins) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Operand<TFloat32> l = Trainer.marginLogits(tf, tf.constant(logits), tf.constant(target), margins);
            try (Session s = new Session(g); Result r = s.runner().fetch(l).run()) {
                return TfArrays.read((TFloat32) r.get(0));
            }
        }
    }
}
