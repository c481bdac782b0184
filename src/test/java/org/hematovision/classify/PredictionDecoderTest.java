package org.hematovision.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PredictionDecoderTest {

    private static final List<String> LABELS = List.of("lymphocyte", "ig", "platelet");

    private static PredictionDecoder decoder(double minP, Double maxEntropy) {
        return new PredictionDecoder(new ModelMetadataBuilder("t", "1", LABELS).abnormalLabels("ig")
                .excludedLabels("platelet").minProbability(minP).maxEntropy(maxEntropy).build());
    }

    @Test
    void confidentTopLabel() {
        Prediction p = decoder(0.6, null).decode(new float[] {0.1f, 0.8f, 0.1f});
        assertEquals("ig", p.label());
        assertEquals("ig", p.topLabel());
        assertEquals(0.8f, p.probability());
        assertFalse(p.review());
        assertTrue(p.abnormal());
    }

    @Test
    void belowMinProbabilityGoesToReviewAndIsNotAnAlert() {
        Prediction p = decoder(0.6, null).decode(new float[] {0.3f, 0.5f, 0.2f});
        assertEquals(Prediction.REVIEW, p.label());
        assertEquals("ig", p.topLabel());
        assertTrue(p.review());
        assertFalse(p.abnormal());
    }

    @Test
    void entropyAboveTheLimitGoesToReviewOnlyWhenSet() {
        float[] row = {0.62f, 0.2f, 0.18f}; // top passes 0.6; normalized entropy ~0.85
        assertFalse(decoder(0.6, null).decode(row).review());
        assertTrue(decoder(0.6, 0.5).decode(row).review());
        assertFalse(decoder(0.6, 0.9).decode(row).review());
    }

    @Test
    void normalizedEntropyEnds() {
        assertEquals(0.0, PredictionDecoder.normalizedEntropy(new float[] {1, 0, 0}), 1e-12);
        assertEquals(1.0, PredictionDecoder.normalizedEntropy(new float[] {0.25f, 0.25f, 0.25f, 0.25f}), 1e-6);
        double h = -(0.62 * Math.log(0.62) + 0.2 * Math.log(0.2) + 0.18 * Math.log(0.18)) / Math.log(3);
        assertEquals(h, PredictionDecoder.normalizedEntropy(new float[] {0.62f, 0.2f, 0.18f}), 1e-6);
    }

    @Test
    void rowsThatAreNotProbabilitiesAreRefused() {
        PredictionDecoder d = decoder(0.6, null);
        assertTrue(assertThrows(IllegalStateException.class, () -> d.decode(new float[] {0.5f, 0.5f}))
                .getMessage().contains("has 2 values for 3 labels"));
        assertTrue(assertThrows(IllegalStateException.class, () -> d.decode(new float[] {2.1f, -1f, 0.3f}))
                .getMessage().contains("must end in softmax"));
        assertTrue(assertThrows(IllegalStateException.class, () -> d.decode(new float[] {0.5f, 0.4f, 0.3f}))
                .getMessage().contains("sums to"));
        assertThrows(IllegalStateException.class, () -> d.decode(new float[] {Float.NaN, 0.5f, 0.5f}));
    }

    @Test
    void decodesRowsInOrder() {
        List<Prediction> ps = decoder(0.6, null).decode(new float[][] {{0.9f, 0.05f, 0.05f}, {0.05f, 0.05f, 0.9f}});
        assertEquals(List.of("lymphocyte", "platelet"), ps.stream().map(Prediction::label).toList());
    }
}
