package org.hematovision.pipeline;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hematovision.classify.CellClassifier;
import org.hematovision.classify.Prediction;
import org.hematovision.field.Field;
import org.hematovision.image.BgrImage;
import org.hematovision.sample.CellCall;
import org.hematovision.sample.FieldReport;
import org.hematovision.segment.CellCrop;
import org.hematovision.segment.CellRegion;
import org.hematovision.segment.ScaleTracker;
import org.hematovision.segment.Segmentation;
import org.hematovision.segment.Segmenter;

/**
 * Segments one field and classifies its white cells in one batch, checking both stages' contracts
 * and timing them. Used by the live {@link Pipeline} and by {@code analyze} on still images.
 *
 * <p>The fields of one sample come from one slide under one objective and camera, so they share one scale: a
 * {@link ScaleTracker} collects each field's own estimate and hands the slide's scale to the segmenter for the
 * next field. It starts afresh whenever the sample id changes (a new slide may be under another objective).
 */
public final class FieldAnalyzer {

    private final Segmenter segmenter;
    private final CellClassifier classifier;
    private final Clock clock;
    private final StageTimings timings;
    private final ScaleTracker slideScale;
    /** The sample whose fields {@link #slideScale} holds, null before the first field. */
    private String scaleSample;

    /**
     * @param slideScale the scale of the current sample's slide; owned by this analyzer from now on (reset for every
     *                   new sample)
     */
    public FieldAnalyzer(Segmenter segmenter, CellClassifier classifier, Clock clock, StageTimings timings,
                         ScaleTracker slideScale) {
        this.segmenter = Objects.requireNonNull(segmenter, "segmenter");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timings = Objects.requireNonNull(timings, "timings");
        this.slideScale = Objects.requireNonNull(slideScale, "slideScale");
    }

    /** Segments and classifies one accepted field (no counting). */
    public FieldReport analyse(String sampleId, Field field) {
        Objects.requireNonNull(sampleId, "sampleId");
        if (!sampleId.equals(scaleSample)) {
            slideScale.reset();
            scaleSample = sampleId;
        }
        long t0 = System.nanoTime();
        Segmentation seg = segmenter.segment(field.frame().image(), slideScale.hint());
        if (seg == null) {
            throw new IllegalStateException("segmenter " + segmenter.getClass().getSimpleName() + " returned null");
        }
        slideScale.add(seg);
        long t1 = System.nanoTime();
        timings.record(Stage.SEGMENT, t1 - t0);
        List<CellCall> calls = classify(seg);
        timings.record(Stage.CLASSIFY, System.nanoTime() - t1);
        return new FieldReport(sampleId, field, clock.instant(), seg, calls);
    }

    private List<CellCall> classify(Segmentation seg) {
        List<BgrImage> images = new ArrayList<>(seg.crops().size());
        for (CellCrop crop : seg.crops()) {
            images.add(crop.image());
        }
        List<Prediction> predictions = images.isEmpty() ? List.of() : classifier.classify(images);
        if (predictions == null || predictions.size() != images.size()) {
            throw new IllegalStateException("classifier " + classifier.getClass().getSimpleName() + " returned "
                    + (predictions == null ? "null" : predictions.size() + " predictions") + " for " + images.size()
                    + " crops");
        }
        // White cells without a crop (border-cut, too little visible) are counted as cells to review.
        Map<CellRegion, Prediction> byRegion = new HashMap<>();
        for (int i = 0; i < images.size(); i++) {
            byRegion.put(seg.crops().get(i).region(), predictions.get(i));
        }
        List<CellCall> calls = new ArrayList<>(seg.whiteCells().size());
        for (CellRegion wbc : seg.whiteCells()) {
            calls.add(new CellCall(wbc, Optional.ofNullable(byRegion.get(wbc))));
        }
        return calls;
    }
}
