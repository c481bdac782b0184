package org.hematovision.sample;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.hematovision.image.BgrImage;
import org.hematovision.image.Box;

/**
 * One slide being counted: accumulates analysed fields into a {@link Differential}, raises an
 * {@link Alert} for every abnormal or review cell, and tells the listener about each step.
 * Single-threaded (the pipeline thread).
 */
public final class Sample {

    /** Margin around a white cell's box when its picture is attached to an alert, in pixels. */
    private static final int ALERT_CROP_MARGIN = 12;

    private final String id;
    private final Differential differential;
    private final SampleListener listener;
    private final Clock clock;
    private final Instant started;
    private boolean finished;

    public Sample(String id, List<String> labels, Set<String> excludedLabels, int targetCells,
                  SampleListener listener, Clock clock) {
        this(id, labels, excludedLabels, targetCells, listener, clock, clock.instant(), List.of());
    }

    /**
     * A sample resumed after a restart: {@code counted} are the fields already counted (from the
     * {@link SampleJournal}); they are added silently (the sinks saw them before the restart), then
     * the listener is told the sample started again.
     */
    public Sample(String id, List<String> labels, Set<String> excludedLabels, int targetCells,
                  SampleListener listener, Clock clock, Instant started, List<FieldTally> counted) {
        this.id = Objects.requireNonNull(id, "id");
        this.differential = new Differential(id, labels, excludedLabels, targetCells);
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.started = Objects.requireNonNull(started, "started");
        counted.forEach(differential::add);
        listener.sampleStarted(id, targetCells, started);
        if (!counted.isEmpty()) {
            listener.sampleResumed(differential.snapshot());
        }
    }

    /** When counting began (before any restart). */
    public Instant started() {
        return started;
    }

    public String id() {
        return id;
    }

    /** Counts one analysed field, then publishes the field and its alerts. */
    public void add(FieldReport report) {
        if (finished) {
            throw new IllegalStateException("sample " + id + " is finished; start a new sample");
        }
        List<CellCall> counted = differential.add(report);
        listener.fieldAnalysed(report, differential.snapshot());
        BgrImage image = report.field().frame().image();
        for (CellCall call : counted) {
            if (call.abnormal() || call.review()) {
                listener.alert(alertFor(report, call, image));
            }
        }
    }

    private Alert alertFor(FieldReport report, CellCall call, BgrImage image) {
        Box box = call.region().box();
        Box cropBox = box.expandWithin(ALERT_CROP_MARGIN, image.width(), image.height());
        Alert.Kind kind = call.abnormal() ? Alert.Kind.ABNORMAL : Alert.Kind.REVIEW;
        String label = call.prediction().map(p -> p.review() ? p.topLabel() : p.label()).orElse("border-cut");
        float probability = call.prediction().map(p -> p.probability()).orElse(0f);
        return new Alert(id, report.field().index(), kind, label, probability, box, image.crop(cropBox),
                clock.instant());
    }

    public DifferentialSnapshot snapshot() {
        return differential.snapshot();
    }

    public boolean targetReached() {
        return differential.targetReached();
    }

    public boolean finished() {
        return finished;
    }

    /** Closes the sample now, once; later calls do nothing. */
    public void finish(String reason) {
        finish(reason, clock.instant());
    }

    /**
     * Closes the sample once, as of {@code time}; later calls do nothing. A sample finished again after a
     * restart passes the time it really ended (from the journal), not the time of the restart.
     */
    public void finish(String reason, Instant time) {
        if (!finished) {
            finished = true;
            listener.sampleFinished(differential.snapshot(), reason, time);
        }
    }
}
