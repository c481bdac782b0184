package org.hematovision.pipeline;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.hematovision.capture.CaptureException;
import org.hematovision.field.SkipReason;
import org.hematovision.sample.DeviceStatus;
import org.hematovision.sample.Sample;
import org.hematovision.sample.SampleControl;
import org.hematovision.sample.SampleListener;
import org.tinylog.Logger;

/**
 * Drives the {@link Pipeline} for the lifetime of the service: one sample at a time, operator
 * requests ({@link SampleControl}) taken between frames, camera failures turned into a status and
 * retried, and the stop conditions of {@code run}. Requests may come from any thread; everything
 * else happens on the thread that calls {@link #run()}.
 */
public final class RunLoop implements SampleControl {

    /** Consecutive blurred frames after which the operator is told to focus. */
    static final int OUT_OF_FOCUS_FRAMES = 30;
    /** Pause between attempts while the camera is missing (the source adds its own backoff). */
    static final long CAMERA_RETRY_MILLIS = 500;

    private static final DateTimeFormatter SAMPLE_ID = DateTimeFormatter.ofPattern("'S'yyyyMMdd-HHmmss");

    private final Pipeline pipeline;
    private final SampleListener sinks;
    private final List<String> labels;
    private final Set<String> excludedLabels;
    private final int targetCells;
    private final RunLimits limits;
    private final Clock clock;
    private final Consumer<String> console;

    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final Map<SkipReason, Long> skips = new EnumMap<>(SkipReason.class);

    private Sample sample;
    private DeviceStatus.State state;
    private long framesRead;
    private long fieldsAnalysed;
    private int blurredRun;
    private int sampleSequence;

    private enum Request { NEW_SAMPLE, FINISH, SHUTDOWN }

    /**
     * @param targetCells white cells at which a sample finishes by itself (0 = never)
     * @param console     receives one human-readable line per analysed field and per sample
     */
    public RunLoop(Pipeline pipeline, SampleListener sinks, List<String> labels, Set<String> excludedLabels,
                   int targetCells, RunLimits limits, Clock clock, Consumer<String> console) {
        this.pipeline = pipeline;
        this.sinks = sinks;
        this.labels = List.copyOf(labels);
        this.excludedLabels = Set.copyOf(excludedLabels);
        this.targetCells = targetCells;
        this.limits = limits;
        this.clock = clock;
        this.console = console;
    }

    @Override
    public void newSample() {
        requests.add(Request.NEW_SAMPLE);
    }

    @Override
    public void finishOrAcknowledge() {
        requests.add(Request.FINISH);
    }

    @Override
    public void shutdown() {
        requests.add(Request.SHUTDOWN);
        stopRequested.set(true);
    }

    /** Runs until a limit is reached, the source ends, or {@link #shutdown()} is called; finishes the open sample. */
    public Summary run() {
        startSample();
        String endReason = "stopped";
        try {
            while (true) {
                if (drainRequests()) {
                    endReason = "stopped by operator";
                    break;
                }
                if (limits.maxFrames() > 0 && framesRead >= limits.maxFrames()) {
                    endReason = "frame limit " + limits.maxFrames() + " reached";
                    break;
                }
                Pipeline.Step step;
                try {
                    step = pipeline.step(sample != null && !sample.finished() ? sample : null);
                } catch (CaptureException e) {
                    cameraDown(e);
                    continue;
                }
                if (step instanceof Pipeline.Step.EndOfSource) {
                    endReason = "end of source";
                    break;
                }
                framesRead++;
                if (state == DeviceStatus.State.CAMERA_MISSING) {
                    setState(DeviceStatus.State.ANALYSING, "camera is back");
                }
                if (step instanceof Pipeline.Step.Skipped s) {
                    onSkip(s.decision().reason());
                    continue;
                }
                if (step instanceof Pipeline.Step.Idle) {
                    continue;
                }
                var report = ((Pipeline.Step.Analysed) step).report();
                onField(report);
                if (limits.maxFields() > 0 && fieldsAnalysed >= limits.maxFields()) {
                    endReason = "field limit " + limits.maxFields() + " reached";
                    break;
                }
                if (limits.maxCells() > 0 && sample.snapshot().whiteCells() >= limits.maxCells()) {
                    endReason = "cell limit " + limits.maxCells() + " reached";
                    break;
                }
                if (sample.targetReached()) {
                    finishSample("target of " + targetCells + " white cells reached");
                }
            }
        } finally {
            if (sample != null && !sample.finished()) {
                finishSample(endReason);
            }
            sinks.status(new DeviceStatus(DeviceStatus.State.STOPPED, endReason));
        }
        return new Summary(framesRead, fieldsAnalysed, Map.copyOf(skips), endReason,
                sample == null ? null : sample.snapshot());
    }

    /** What a run did. */
    public record Summary(long framesRead, long fieldsAnalysed, Map<SkipReason, Long> skips, String endReason,
                          org.hematovision.sample.DifferentialSnapshot lastSample) {
    }

    private boolean drainRequests() {
        Request r;
        while ((r = requests.poll()) != null) {
            switch (r) {
                case NEW_SAMPLE -> {
                    if (sample != null && !sample.finished()) {
                        finishSample("closed by new sample request");
                    }
                    startSample();
                }
                case FINISH -> {
                    if (sample != null && !sample.finished()) {
                        finishSample("finished by operator");
                    }
                }
                case SHUTDOWN -> {
                    return true;
                }
            }
        }
        return stopRequested.get();
    }

    private void startSample() {
        sampleSequence++;
        String id = SAMPLE_ID.format(LocalDateTime.now(clock)) + (sampleSequence > 1 ? "-" + sampleSequence : "");
        sample = new Sample(id, labels, excludedLabels, targetCells, sinks, clock);
        console.accept("sample " + id + " started" + (targetCells > 0 ? " (target " + targetCells + " white cells)" : ""));
        setState(DeviceStatus.State.ANALYSING, "");
    }

    private void finishSample(String reason) {
        sample.finish(reason);
        var d = sample.snapshot();
        console.accept("sample " + d.sampleId() + " finished (" + reason + "): " + formatDifferential(d));
        setState(DeviceStatus.State.READY, "press NEW SAMPLE for the next slide");
    }

    private void onSkip(SkipReason reason) {
        skips.merge(reason, 1L, Long::sum);
        if (reason == SkipReason.BLURRED) {
            if (++blurredRun == OUT_OF_FOCUS_FRAMES) {
                setState(DeviceStatus.State.OUT_OF_FOCUS, "turn the fine focus until the cells are sharp");
            }
        } else if (reason != SkipReason.ALREADY_ANALYSED) {
            blurredRun = 0;
        }
    }

    private void onField(org.hematovision.sample.FieldReport report) {
        fieldsAnalysed++;
        blurredRun = 0;
        if (state == DeviceStatus.State.OUT_OF_FOCUS) {
            setState(DeviceStatus.State.ANALYSING, "");
        }
        var seg = report.segmentation();
        StringBuilder labelsFound = new StringBuilder();
        report.calls().forEach(c -> labelsFound.append(labelsFound.length() == 0 ? "" : " ").append(c.countedLabel()));
        var d = sample.snapshot();
        console.accept(String.format("field %d: %d WBC [%s], %d RBC, %d PLT, %.3f um/px | sample %d/%s WBC",
                report.field().index(), seg.whiteCells().size(), labelsFound, seg.redCells().size(),
                seg.platelets().size(), seg.micronsPerPixel(), d.whiteCells(),
                targetCells > 0 ? String.valueOf(targetCells) : "-"));
    }

    private void cameraDown(CaptureException e) {
        if (state != DeviceStatus.State.CAMERA_MISSING) {
            Logger.warn("camera unavailable: {}", e.getMessage());
            setState(DeviceStatus.State.CAMERA_MISSING, e.getMessage());
        }
        try {
            Thread.sleep(CAMERA_RETRY_MILLIS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            stopRequested.set(true);
        }
    }

    private void setState(DeviceStatus.State newState, String detail) {
        if (newState != state) {
            state = newState;
            sinks.status(new DeviceStatus(newState, detail));
        }
    }

    public static String formatDifferential(org.hematovision.sample.DifferentialSnapshot d) {
        StringBuilder sb = new StringBuilder();
        sb.append(d.whiteCells()).append(" WBC in ").append(d.fields()).append(" fields");
        d.counts().forEach((label, n) -> sb.append(String.format(", %s %d (%.1f%%)", label, n, d.percent(label))));
        sb.append(", RBC ").append(d.redCells()).append(", PLT ").append(d.platelets());
        return sb.toString();
    }
}
