package org.hematovision.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PredictionDecoderTest {

    private static final List<String> LABELS = List.of("lymphocyte", "ig", "platelet");

    private static PredictionDecoder decoder(double minP, Double maxEntropy) {
        return decoder(minP, maxEntropy, 1.0);
    }

    private static PredictionDecoder decoder(double minP, Double maxEntropy, double temperature) {
        return new PredictionDecoder(new ModelMetadataBuilder("t", "1", LABELS).abnormalLabels("ig")
                .excludedLabels("platelet").minProbability(minP).maxEntropy(maxEntropy).temperature(temperature).build());
    }

    /** p^(1/t) normalized, computed the obvious way (fine for these moderate values). */
    private static float[] powered(float[] p, double t) {
        double[] q = new double[p.length];
        double sum = 0;
        for (int c = 0; c < p.length; c++) {
            q[c] = Math.pow(p[c], 1 / t);
            sum += q[c];
        }
        float[] out = new float[p.length];
        for (int c = 0; c < p.length; c++) {
            out[c] = (float) (q[c] / sum);
        }
        return out;
    }

    @Test
    void temperatureOneKeepsTheRowBitForBit() {
        // sums to 0.9999 in float: any renormalization would change the values
        float[] row = {0.1000001f, 0.6999f, 0.2f};
        Prediction p = decoder(0.6, null, 1.0).decode(row);
        assertArrayEquals(row, p.probabilities());
        assertEquals(0.6999f, p.probability());
        assertEquals(p, decoder(0.6, null).decode(row));
    }

    @Test
    void classOffsetsMoveADecisionTheNetworkLeansAgainst() {
        // the network gives ig 0.45 against lymphocyte 0.5; an ig offset of ln 2 doubles ig's odds:
        // 0.9 : 0.5 : 0.05 over 1.45
        float[] row = {0.5f, 0.45f, 0.05f};
        PredictionDecoder withOffset = new PredictionDecoder(new ModelMetadataBuilder("t", "1", LABELS).abnormalLabels("ig")
                .excludedLabels("platelet").minProbability(0.6).classBias(new double[] {0, Math.log(2), 0}).build());
        Prediction p = withOffset.decode(row);
        assertArrayEquals(new float[] {0.5f / 1.45f, 0.9f / 1.45f, 0.05f / 1.45f}, p.probabilities(), 1e-6f);
        assertEquals("ig", p.label());
        assertTrue(p.abnormal());
        assertEquals("review", decoder(0.6, null).decode(row).label());
        // all-zero offsets are no offsets: the row passes through bit for bit
        PredictionDecoder zero = new PredictionDecoder(new ModelMetadataBuilder("t", "1", LABELS)
                .minProbability(0.4).classBias(new double[3]).build());
        float[] odd = {0.1000001f, 0.6999f, 0.2f};
        assertArrayEquals(odd, zero.decode(odd).probabilities());
        // offsets and temperature together: softmax(log p / T + b)
        float[] q = PredictionDecoder.calibrated(row, 0.5, new double[] {0.3, -0.2, 0});
        double[] e = {0.25 * Math.exp(0.3), 0.2025 * Math.exp(-0.2), 0.0025};
        double sum = e[0] + e[1] + e[2];
        assertArrayEquals(new float[] {(float) (e[0] / sum), (float) (e[1] / sum), (float) (e[2] / sum)}, q, 1e-6f);
    }

    @Test
    void temperatureBelowOneSharpensAndTheReviewRuleSeesTheCalibratedRow() {
        float[] row = {0.2f, 0.5f, 0.3f};
        assertTrue(decoder(0.6, null).decode(row).review());
        Prediction sharp = decoder(0.6, null, 0.5).decode(row);
        // squared and renormalized: 0.04, 0.25, 0.09 over 0.38
        assertArrayEquals(new float[] {0.04f / 0.38f, 0.25f / 0.38f, 0.09f / 0.38f}, sharp.probabilities(), 1e-6f);
        assertEquals(0.25f / 0.38f, sharp.probability(), 1e-6f);
        assertFalse(sharp.review());
        assertEquals("ig", sharp.label());
        assertTrue(sharp.abnormal());
    }

    @Test
    void temperatureAboveOneSoftensAndFeedsTheEntropyLimit() {
        float[] row = {0.05f, 0.9f, 0.05f};
        assertFalse(decoder(0.5, 0.6).decode(row).review());
        Prediction soft = decoder(0.5, 0.6, 3.0).decode(row);
        float[] expected = powered(row, 3.0);
        assertArrayEquals(expected, soft.probabilities(), 1e-6f);
        assertTrue(soft.probability() < 0.9f && soft.probability() > 0.5f, "top " + soft.probability());
        assertTrue(PredictionDecoder.normalizedEntropy(expected) > 0.6);
        assertTrue(soft.review(), "review by entropy of the softened row");
    }

    @Test
    void calibrationIsComputedInLogSpace() {
        float[] row = {1f, 1e-30f, 0f};
        // at t = 0.05, 1e-30^20 underflows a double; its log must not
        double[] logQ = PredictionDecoder.logCalibrated(row, 0.05);
        assertEquals(0.0, logQ[0], 1e-12);
        assertEquals(20 * Math.log(1e-30f), logQ[1], 1e-9);
        assertEquals(20 * Math.log(Float.MIN_VALUE), logQ[2], 1e-9, "a zero counts as the smallest float");
        float[] q = PredictionDecoder.calibrated(new float[] {0.25f, 0.25f, 0.5f}, 0.05);
        assertEquals(1 / (1 + 2 * Math.pow(0.5, 20)), q[2], 1e-7);
        assertEquals(q[0], q[1]);
        assertArrayEquals(powered(new float[] {0.2f, 0.5f, 0.3f}, 7.0), PredictionDecoder.calibrated(new float[] {0.2f, 0.5f, 0.3f}, 7.0), 1e-6f);
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
