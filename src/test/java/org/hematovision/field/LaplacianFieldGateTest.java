package org.hematovision.field;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.hematovision.capture.Frame;
import org.hematovision.capture.synthetic.SmearParams;
import org.hematovision.capture.synthetic.SyntheticSmear;
import org.hematovision.capture.synthetic.SyntheticSource;
import org.hematovision.capture.synthetic.SyntheticSource.FrameTruth;
import org.hematovision.capture.synthetic.SyntheticSource.Phase;
import org.hematovision.capture.synthetic.SyntheticSourceConfig;
import org.hematovision.config.ConfigException;
import org.hematovision.image.BgrImage;
import org.hematovision.image.Box;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LaplacianFieldGateTest {

    /**
     * The gate on the live synthetic slide, at two magnifications: every field analysed exactly once, on a
     * sharp still frame, never during a pan or a defocus, including holds that start defocused (analysed
     * after refocus). Skips are counted by reason and add up with the analysed frames.
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.2, 0.12})
    void liveSlideEachFieldOnceNeverMovingOrBlurred(double micronsPerPixel) {
        int fields = 14;
        int pan = 5;
        int hold = 14;
        SyntheticSourceConfig cfg = SyntheticSourceConfig.live().withPhases(pan, hold, 0.6, 5)
                .withMaxFrames(hold + (fields - 1L) * (pan + hold));
        SmearParams params = SmearParams.defaults().withScale(micronsPerPixel).withSize(480, 360);
        Map<Long, List<Long>> analysed = new TreeMap<>();
        List<FrameTruth> truths = new ArrayList<>();
        LaplacianFieldGate gate;
        try (SyntheticSource source = new SyntheticSource(new SyntheticSmear(params), cfg, 21)) {
            gate = LaplacianFieldGate.forSource(source, GateConfig.defaults());
            for (Optional<Frame> f; (f = source.next()).isPresent(); ) {
                FrameTruth t = source.truthAt(f.get().index());
                truths.add(t);
                GateDecision d = gate.offer(f.get());
                if (d instanceof GateDecision.Analyse a) {
                    assertEquals(Phase.HOLD, t.phase(), "analysed " + t);
                    assertEquals(f.get(), a.field().frame());
                    analysed.computeIfAbsent(t.fieldNumber(), k -> new ArrayList<>()).add(t.frameIndex());
                } else if (t.phase() == Phase.PAN) {
                    assertEquals(SkipReason.MOVING, ((GateDecision.Skip) d).reason(), "pan frame " + t);
                }
            }
        }
        assertEquals(fields, analysed.size(), "fields analysed: " + analysed);
        analysed.forEach((field, at) -> assertEquals(1, at.size(), "field " + field + " analysed at " + at));

        // The data must contain the hard case: a hold that starts defocused, so the field can only be
        // analysed after focus returns.
        long refocused = analysed.entrySet().stream().filter(e -> truths.stream().anyMatch(t ->
                t.fieldNumber() == e.getKey() && t.phase() == Phase.DEFOCUS && t.frameIndex() < e.getValue().get(0)))
                .count();
        assertTrue(refocused >= 1, "some field was analysed after a defocus in its hold");

        Map<SkipReason, Long> skips = gate.skipCounts();
        long skipped = skips.values().stream().mapToLong(Long::longValue).sum();
        assertEquals(truths.size(), skipped + gate.analysedCount());
        long panFrames = truths.stream().filter(t -> t.phase() == Phase.PAN).count();
        assertTrue(skips.get(SkipReason.MOVING) >= panFrames, skips.toString());
        assertTrue(skips.get(SkipReason.BLURRED) > 0, skips.toString());
        assertTrue(skips.get(SkipReason.SETTLING) > 0, skips.toString());
        assertTrue(skips.get(SkipReason.ALREADY_ANALYSED) > 0, skips.toString());
        assertEquals(0, skips.get(SkipReason.DARK));
        assertEquals(0, skips.get(SkipReason.SATURATED));
    }

    @Test
    void stillImagesAreJudgedOnFocusAndExposureOnly() {
        SyntheticSmear smear = new SyntheticSmear(SmearParams.defaults());
        LaplacianFieldGate gate = new LaplacianFieldGate(GateConfig.defaults(), true);
        BgrImage sharp = smear.generate(1).image();
        // The same image twice is analysed twice: a folder may hold repeats, and no motion is judged.
        assertInstanceOf(GateDecision.Analyse.class, gate.offer(frame(0, sharp)));
        assertInstanceOf(GateDecision.Analyse.class, gate.offer(frame(1, sharp)));
        // Unrelated images are not compared with each other: only the absolute focus floor applies, so
        // the blur must be heavy enough to fall below it.
        assertEquals(SkipReason.BLURRED, skipReason(gate.offer(frame(2, SyntheticSmear.blur(smear.generate(2).image(), 6.0)))));
        assertEquals(SkipReason.DARK, skipReason(gate.offer(frame(3, scaled(smear.generate(3).image(), 0.15)))));
        assertEquals(SkipReason.SATURATED, skipReason(gate.offer(frame(4, scaled(smear.generate(4).image(), 1.6)))));
        assertInstanceOf(GateDecision.Analyse.class, gate.offer(frame(5, smear.generate(5).image())));
        assertEquals(3, gate.analysedCount());
        assertEquals(1L, gate.skipCounts().get(SkipReason.BLURRED));
        assertEquals(1L, gate.skipCounts().get(SkipReason.DARK));
        assertEquals(1L, gate.skipCounts().get(SkipReason.SATURATED));
    }

    @Test
    void qualityReportsTheMeasurements() {
        SyntheticSmear smear = new SyntheticSmear(SmearParams.defaults());
        BgrImage img = smear.generate(9).image();
        LaplacianFieldGate gate = new LaplacianFieldGate(GateConfig.defaults(), false);
        FieldQuality first = gate.offer(frame(0, img)).quality();
        assertEquals(0.0, first.motion());
        double grey = 0;
        for (int i = 0; i < img.pixels().length; i += 3) {
            grey += 0.114 * (img.pixels()[i] & 0xff) + 0.587 * (img.pixels()[i + 1] & 0xff) + 0.299 * (img.pixels()[i + 2] & 0xff);
        }
        assertEquals(grey / (img.width() * img.height()), first.meanLuma(), 1.0);
        FieldQuality blurred = gate.offer(frame(1, SyntheticSmear.blur(img, 3))).quality();
        assertTrue(blurred.focus() < first.focus() / 4, first + " vs " + blurred);
        assertTrue(blurred.motion() > 0);
    }

    @Test
    void configValidatesNamingTheKey() {
        GateConfig d = GateConfig.defaults();
        ConfigException e = assertThrows(ConfigException.class, () -> new GateConfig(d.analysisWidth(), d.motionThreshold(),
                0, d.minFocus(), d.minSharpness(), d.relativeSharpness(), d.focusMemoryFrames(), d.minLuma(), d.maxLuma(),
                d.saturationLevel(), d.maxSaturatedFraction(), d.sameFieldThreshold()));
        assertEquals("gate.settleFrames", e.key());
        e = assertThrows(ConfigException.class, () -> new GateConfig(d.analysisWidth(), d.motionThreshold(),
                d.settleFrames(), d.minFocus(), d.minSharpness(), d.relativeSharpness(), d.focusMemoryFrames(), 200, 100,
                d.saturationLevel(), d.maxSaturatedFraction(), d.sameFieldThreshold()));
        assertEquals("gate.maxLuma", e.key());
    }

    @Test
    void aLampOrExposureStepOnAStillFieldDoesNotCountItAgain() {
        BgrImage view = new SyntheticSmear(SmearParams.defaults().withSize(480, 360)).generate(31).image();
        LaplacianFieldGate gate = new LaplacianFieldGate(GateConfig.defaults(), false);
        long[] i = {0};
        assertEquals(1, fieldsIn(gate, i, view, 8));
        assertEquals(0, fieldsIn(gate, i, offset(view, 12), 8), "12 grey levels brighter: the same field");
        assertEquals(0, fieldsIn(gate, i, scaled(view, 0.93), 8), "7% darker: the same field");
    }

    @Test
    void goingBackToAFieldSeenAMomentAgoDoesNotCountItAgain() {
        SyntheticSmear smear = new SyntheticSmear(SmearParams.defaults().withSize(480, 360));
        LaplacianFieldGate gate = new LaplacianFieldGate(GateConfig.defaults(), false);
        long[] i = {0};
        assertEquals(1, fieldsIn(gate, i, smear.generate(41).image(), 8));
        assertEquals(1, fieldsIn(gate, i, smear.generate(42).image(), 8));
        assertEquals(0, fieldsIn(gate, i, smear.generate(41).image(), 8), "back to the first field");
        assertEquals(1, fieldsIn(gate, i, smear.generate(43).image(), 8), "a new field still counts");
    }

    @Test
    void aNudgeIsTheSameFieldAndAPanIsNot() {
        BgrImage wide = new SyntheticSmear(SmearParams.defaults().withSize(960, 360)).generate(51).image();
        LaplacianFieldGate gate = new LaplacianFieldGate(GateConfig.defaults(), false);
        long[] i = {0};
        assertEquals(1, fieldsIn(gate, i, wide.crop(new Box(0, 0, 480, 360)), 8));
        assertEquals(0, fieldsIn(gate, i, wide.crop(new Box(12, 0, 480, 360)), 8), "nudged by 12 px of 480");
        assertEquals(0, fieldsIn(gate, i, wide.crop(new Box(60, 0, 480, 360)), 8), "moved by an eighth of a field");
        assertEquals(1, fieldsIn(gate, i, wide.crop(new Box(240, 0, 480, 360)), 8), "moved by half a field");
        assertEquals(1, fieldsIn(gate, i, wide.crop(new Box(480, 0, 480, 360)), 8), "the next field");
    }

    @Test
    void aWideFramesShortSideIsHeldToAFifthToo() {
        // 1280x720 views (thumbnail 40x22 blocks): a shift of 8 blocks down would be 36% of the height
        BgrImage slide = new SyntheticSmear(SmearParams.defaults().withSize(1600, 1100)).generate(51).image();
        LaplacianFieldGate gate = new LaplacianFieldGate(GateConfig.defaults(), false);
        long[] i = {0};
        assertEquals(1, fieldsIn(gate, i, slide.crop(new Box(0, 0, 1280, 720)), 8));
        assertEquals(0, fieldsIn(gate, i, slide.crop(new Box(0, 40, 1280, 720)), 8), "nudged down by 6%");
        assertEquals(1, fieldsIn(gate, i, slide.crop(new Box(240, 250, 1280, 720)), 8),
                "moved 19% across and 35% down: only 53% of the view was seen before");
    }

    @Test
    void aFieldSeenWithNoSampleOpenIsNotRememberedButTheStillViewWaitsForMotion() {
        SyntheticSmear smear = new SyntheticSmear(SmearParams.defaults().withSize(480, 360));
        BgrImage a = smear.generate(61).image();
        LaplacianFieldGate gate = new LaplacianFieldGate(GateConfig.defaults(), false);
        long[] i = {0};
        int accepted = 0;
        for (int k = 0; k < 8; k++) {
            if (gate.offer(frame(i[0]++, a)) instanceof GateDecision.Analyse) {
                accepted++;
                gate.fieldNotCounted(); // between samples: the pipeline counted nothing
            }
        }
        assertEquals(1, accepted);
        assertEquals(0, fieldsIn(gate, i, a, 8), "the same still view waits for the slide to move");
        assertEquals(1, fieldsIn(gate, i, smear.generate(62).image(), 8));
        assertEquals(1, fieldsIn(gate, i, a, 8), "coming back to it during a sample counts it");
        assertEquals(0, fieldsIn(gate, i, smear.generate(62).image(), 8), "a counted field is still remembered");
    }

    @Test
    void aHeldViewIsNotAnalysedUntilTheSlideMoves() {
        SyntheticSmear smear = new SyntheticSmear(SmearParams.defaults().withSize(480, 360));
        LaplacianFieldGate gate = new LaplacianFieldGate(GateConfig.defaults(), false);
        gate.holdCurrentView(); // a sample resumed after a restart, the slide where it was
        long[] i = {0};
        assertEquals(0, fieldsIn(gate, i, smear.generate(63).image(), 12));
        assertEquals(1, fieldsIn(gate, i, smear.generate(64).image(), 8), "the next field counts");
    }

    @Test
    void settlingCountsOnlyGoodFramesInARow() {
        // X is too dark by half a grey level; X+1 (one grey level brighter: not motion) is not. Still
        // frames that were dark must not count towards settling: X+1 is analysed on its third frame.
        BgrImage x = new SyntheticSmear(SmearParams.defaults().withSize(480, 360)).generate(71).image();
        GateConfig d = GateConfig.defaults();
        double luma = LaplacianFieldGate.measure(x, d).meanLuma();
        GateConfig config = new GateConfig(d.analysisWidth(), d.motionThreshold(), d.settleFrames(), d.minFocus(),
                d.minSharpness(), d.relativeSharpness(), d.focusMemoryFrames(), luma + 0.5, d.maxLuma(),
                d.saturationLevel(), d.maxSaturatedFraction(), d.sameFieldThreshold());
        LaplacianFieldGate gate = new LaplacianFieldGate(config, false);
        for (int k = 0; k < 5; k++) {
            assertEquals(SkipReason.DARK, skipReason(gate.offer(frame(k, x))));
        }
        BgrImage brighter = offset(x, 1);
        assertEquals(SkipReason.SETTLING, skipReason(gate.offer(frame(5, brighter))));
        assertEquals(SkipReason.SETTLING, skipReason(gate.offer(frame(6, brighter))));
        assertInstanceOf(GateDecision.Analyse.class, gate.offer(frame(7, brighter)));
    }

    /** Offers {@code frames} copies of {@code image}; returns how many were analysed as a field. */
    private static int fieldsIn(LaplacianFieldGate gate, long[] index, BgrImage image, int frames) {
        int n = 0;
        for (int k = 0; k < frames; k++) {
            if (gate.offer(frame(index[0]++, image)) instanceof GateDecision.Analyse) {
                n++;
            }
        }
        return n;
    }

    private static BgrImage offset(BgrImage img, int add) {
        byte[] out = new byte[img.pixels().length];
        for (int k = 0; k < out.length; k++) {
            out[k] = (byte) Math.max(0, Math.min(255, (img.pixels()[k] & 0xff) + add));
        }
        return new BgrImage(img.width(), img.height(), out);
    }

    private static Frame frame(long index, BgrImage image) {
        return new Frame(index, index, image);
    }

    private static SkipReason skipReason(GateDecision d) {
        return assertInstanceOf(GateDecision.Skip.class, d).reason();
    }

    private static BgrImage scaled(BgrImage img, double gain) {
        byte[] out = new byte[img.pixels().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Math.min(255, (int) Math.round((img.pixels()[i] & 0xff) * gain));
        }
        return new BgrImage(img.width(), img.height(), out);
    }
}
