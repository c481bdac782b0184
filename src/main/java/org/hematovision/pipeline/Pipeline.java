package org.hematovision.pipeline;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hematovision.capture.CaptureException;
import org.hematovision.capture.Frame;
import org.hematovision.capture.FrameSource;
import org.hematovision.classify.CellClassifier;
import org.hematovision.memory.NativeHeap;
import org.hematovision.classify.Prediction;
import org.hematovision.field.Field;
import org.hematovision.field.FieldGate;
import org.hematovision.field.GateDecision;
import org.hematovision.image.BgrImage;
import org.hematovision.sample.CellCall;
import org.hematovision.sample.FieldReport;
import org.hematovision.sample.SampleManager;
import org.hematovision.segment.CellCrop;
import org.hematovision.segment.CellRegion;
import org.hematovision.segment.ScaleTracker;
import org.hematovision.segment.Segmentation;
import org.hematovision.segment.Segmenter;

/**
 * The one place where the stages run, in order: source → gate → segmenter → classifier → sample.
 * It checks each stage's contract (a broken stage is named in the error) and times every stage.
 * Data flows one way; no stage calls back upstream. Single-threaded.
 */
public final class Pipeline {

    private final FrameSource source;
    private final FieldGate gate;
    private final FieldAnalyzer analyzer;
    private final StageTimings timings = new StageTimings();
    private final NativeHeap nativeHeap = new NativeHeap();

    /** @param slideScale the running scale of the current sample's slide (see {@link FieldAnalyzer}) */
    public Pipeline(FrameSource source, FieldGate gate, Segmenter segmenter, CellClassifier classifier, Clock clock,
                    ScaleTracker slideScale) {
        this.source = Objects.requireNonNull(source, "source");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.analyzer = new FieldAnalyzer(segmenter, classifier, clock, timings, slideScale);
    }

    /** What one step did. */
    public sealed interface Step {
        /** The source is exhausted (end of video or folder). */
        record EndOfSource() implements Step {
        }

        /** A frame was read and skipped by the gate. */
        record Skipped(GateDecision.Skip decision) implements Step {
        }

        /** A new field was seen while no sample was open: not analysed, not counted. */
        record Idle(Field field) implements Step {
        }

        /** A field was analysed and counted into the sample. */
        record Analysed(FieldReport report) implements Step {
        }
    }

    /**
     * Reads one frame and, when the gate accepts it as a new field, analyses it and hands it to
     * {@code samples} to be journalled and counted. With no open sample the gate still follows the
     * slide, but nothing is analysed.
     *
     * @throws CaptureException when the source cannot deliver (camera gone); the caller decides how to retry
     * @throws org.hematovision.sample.JournalException when the field cannot be made durable (it was not counted)
     */
    public Step step(SampleManager samples) throws CaptureException {
        long t0 = System.nanoTime();
        Optional<Frame> frame = source.next();
        long t1 = System.nanoTime();
        if (frame.isEmpty()) {
            return new Step.EndOfSource();
        }
        timings.record(Stage.DECODE, t1 - t0);
        GateDecision decision = Objects.requireNonNull(gate.offer(frame.get()), "field gate returned null");
        timings.record(Stage.GATE, System.nanoTime() - t1);
        if (decision instanceof GateDecision.Skip skip) {
            return new Step.Skipped(skip);
        }
        Field field = ((GateDecision.Analyse) decision).field();
        if (!samples.counting()) {
            gate.fieldNotCounted();
            return new Step.Idle(field);
        }
        var sample = samples.current().orElseThrow();
        // Numbered within the sample, continuing after a resumed restart, so that the journal lines and
        // the stored field images of one sample never share a number.
        FieldReport report = analyse(sample.id(), field.withIndex(sample.snapshot().fields()));
        long t4 = System.nanoTime();
        samples.add(report);
        long t5 = System.nanoTime();
        timings.record(Stage.PUBLISH, t5 - t4);
        nativeHeap.trim();
        timings.record(Stage.TRIM, System.nanoTime() - t5);
        return new Step.Analysed(report);
    }

    /** Segments and classifies one accepted field without counting it. */
    public FieldReport analyse(String sampleId, Field field) {
        return analyzer.analyse(sampleId, field);
    }

    public StageTimings timings() {
        return timings;
    }

    public FieldGate gate() {
        return gate;
    }

    public FrameSource source() {
        return source;
    }
}
