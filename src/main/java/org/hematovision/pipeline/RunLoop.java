package org.hematovision.pipeline;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.hematovision.capture.CaptureException;
import org.hematovision.field.SkipReason;
import org.hematovision.sample.CellCall;
import org.hematovision.sample.DeviceStatus;
import org.hematovision.sample.DifferentialSnapshot;
import org.hematovision.sample.FieldReport;
import org.hematovision.sample.FieldTally;
import org.hematovision.sample.FinishReason;
import org.hematovision.sample.JournalException;
import org.hematovision.sample.Sample;
import org.hematovision.sample.SampleListener;
import org.hematovision.sample.SampleManager;
import org.hematovision.sample.StorageStatus;
import org.hematovision.logging.RateLimitedLog;
import org.tinylog.Logger;

/**
 * Drives the {@link Pipeline} for the lifetime of the service: operator requests
 * ({@link SampleControl}) taken between frames, camera failures turned into a status and retried,
 * and the stop conditions of {@code run}. The sample lifecycle itself (journal, target, limits,
 * resume after a crash) belongs to the {@link SampleManager}. Requests may come from any thread;
 * everything else happens on the thread that calls {@link #run()}.
 */
public final class RunLoop {

    /** Consecutive blurred frames after which the operator is told to focus. */
    static final int OUT_OF_FOCUS_FRAMES = 30;
    /** Pause between attempts while the camera is missing (the source adds its own backoff). */
    static final long CAMERA_RETRY_MILLIS = 500;
    /** Differently worded camera failures shown per outage, at most. */
    static final int CAMERA_WORDINGS = 4;
    /**
     * Fields in a row whose analysis threw (a defect, or OpenCV/TensorFlow failing) after which the run
     * stops with the sample left open, so the restart that systemd makes resumes it.
     */
    static final int MAX_FAILED_FIELDS_IN_A_ROW = 5;

    private final Pipeline pipeline;
    private final SampleManager samples;
    private final SampleListener sinks;
    private final RunLimits limits;
    private final Consumer<String> console;
    private final Runnable heartbeat;

    private final OperatorRequests requests;
    private final Map<SkipReason, Long> skips = new EnumMap<>(SkipReason.class);

    private DeviceStatus.State state;
    private long framesRead;
    private long fieldsAnalysed;
    private long fieldsNotStored;
    private long fieldsFailed;
    private long whiteCells;
    private int failedRun;
    private int blurredRun;
    private String announcedSample;
    /** The camera failures shown in this outage, retry time left out. */
    private final java.util.Set<String> cameraWordings = new java.util.HashSet<>();
    /** The storage state the sinks last heard (they assume {@link StorageStatus#OK} until told otherwise). */
    private StorageStatus storageShown = StorageStatus.OK;
    private final RateLimitedLog problems = new RateLimitedLog();

    /**
     * @param requests  operator requests, taken between frames
     * @param sinks     receives device status changes (sample events reach the sinks through {@code samples})
     * @param console   receives one human-readable line per analysed field and per sample
     * @param heartbeat called after every turn of the loop that completed: a frame read and handled, or a
     *                  failed camera read handled (the service is alive and retrying). Not called while a
     *                  read or a stage hangs, so the systemd watchdog restarts a wedged pipeline.
     */
    public RunLoop(Pipeline pipeline, SampleManager samples, OperatorRequests requests, SampleListener sinks,
                   RunLimits limits, Consumer<String> console, Runnable heartbeat) {
        this.pipeline = pipeline;
        this.requests = requests;
        this.samples = samples;
        this.sinks = sinks;
        this.limits = limits;
        this.console = console;
        this.heartbeat = heartbeat;
    }

    /**
     * Opens (or resumes) a sample and runs until a limit is reached, the source ends, or
     * shutdown is requested; the open sample is then finished with the reason.
     */
    public Summary run() {
        samples.open();
        if (samples.counting() && samples.current().orElseThrow().snapshot().fields() > 0) {
            // resumed after a restart: the slide may still show the field counted last
            pipeline.gate().holdCurrentView();
        }
        announceSample();
        setState(DeviceStatus.State.ANALYSING, "");
        reportStorage(); // a disk already full or read-only at start-up
        String endReason = FinishReason.SHUTDOWN;
        String why = "stopped";
        boolean leaveOpen = false;
        long started = System.nanoTime();
        try {
            while (true) {
                if (limits.maxSeconds() > 0 && System.nanoTime() - started >= limits.maxSeconds() * 1_000_000_000L) {
                    why = "time limit " + limits.maxSeconds() + " s reached";
                    break;
                }
                if (drainRequests()) {
                    why = "stopped by operator";
                    break;
                }
                if (limits.maxFrames() > 0 && framesRead >= limits.maxFrames()) {
                    why = "frame limit " + limits.maxFrames() + " reached";
                    endReason = FinishReason.FIELD_LIMIT;
                    break;
                }
                Pipeline.Step step;
                try {
                    step = pipeline.step(samples);
                } catch (CaptureException e) {
                    cameraDown(e);
                    heartbeat.run();
                    continue;
                } catch (JournalException e) {
                    fieldsNotStored++;
                    problems.error("journal", "field not counted: " + e.getMessage());
                    heartbeat.run();
                    continue;
                } catch (RuntimeException e) {
                    // One bad frame must not end a sample: that field is not counted and the slide goes
                    // on. Failing on every field means the service cannot analyse at all.
                    fieldsFailed++;
                    long held = problems.acquire("analysis");
                    if (held >= 0) {
                        Logger.error(e, "field not analysed, not counted{}",
                                held == 0 ? "" : " (" + held + " more since the last report)");
                    }
                    if (++failedRun >= MAX_FAILED_FIELDS_IN_A_ROW) {
                        why = "analysis failed on " + failedRun + " fields in a row: " + e;
                        leaveOpen = true;
                        break;
                    }
                    heartbeat.run();
                    continue;
                }
                if (step instanceof Pipeline.Step.EndOfSource) {
                    why = "end of source";
                    endReason = FinishReason.SHUTDOWN;
                    break;
                }
                framesRead++;
                heartbeat.run();
                if (state == DeviceStatus.State.CAMERA_MISSING) {
                    setState(samples.counting() ? DeviceStatus.State.ANALYSING : DeviceStatus.State.READY,
                            "camera is back");
                }
                if (step instanceof Pipeline.Step.Skipped s) {
                    onSkip(s.decision().reason());
                    samples.checkLimits();
                } else if (step instanceof Pipeline.Step.Idle) {
                    focusBack();
                } else if (step instanceof Pipeline.Step.Analysed a) {
                    failedRun = 0;
                    onField(a.report());
                    reportStorage();
                    if (limits.maxFields() > 0 && fieldsAnalysed >= limits.maxFields()) {
                        why = "field limit " + limits.maxFields() + " reached";
                        endReason = FinishReason.FIELD_LIMIT;
                        break;
                    }
                    if (limits.maxCells() > 0 && lastSnapshot().map(d -> d.leukocytes() >= limits.maxCells()).orElse(false)) {
                        why = "cell limit " + limits.maxCells() + " reached";
                        endReason = FinishReason.TARGET;
                        break;
                    }
                }
                afterSampleFinished();
                if (limits.endWithSample() && !samples.counting()) {
                    why = "sample finished";
                    break;
                }
            }
        } finally {
            if (leaveOpen && samples.counting()) {
                console.accept("sample " + samples.current().orElseThrow().id()
                        + " left open: the next start resumes it");
            } else if (samples.counting()) {
                samples.finish(endReason);
            }
            afterSampleFinished();
            sinks.status(new DeviceStatus(DeviceStatus.State.STOPPED, why));
        }
        return new Summary(framesRead, fieldsAnalysed, fieldsNotStored, fieldsFailed, whiteCells, Map.copyOf(skips),
                why, leaveOpen, lastSnapshot().orElse(null));
    }

    /**
     * What a run did.
     *
     * @param fieldsFailed fields whose analysis threw (not counted)
     * @param whiteCells   white cells counted in this run, over every sample of it (lastSample has the last one's)
     * @param failed       the run stopped because analysis kept failing; the sample was left open
     */
    public record Summary(long framesRead, long fieldsAnalysed, long fieldsNotStored, long fieldsFailed,
                          long whiteCells, Map<SkipReason, Long> skips, String endReason, boolean failed,
                          DifferentialSnapshot lastSample) {
    }

    private Optional<DifferentialSnapshot> lastSnapshot() {
        return samples.current().map(Sample::snapshot);
    }

    private boolean drainRequests() {
        java.util.Optional<OperatorRequests.Request> next;
        while ((next = requests.poll()).isPresent()) {
            switch (next.get()) {
                case NEW_SAMPLE -> {
                    Optional<Sample> previous = samples.current();
                    samples.newSample();
                    previous.ifPresent(this::reportFinished); // newSample() finished it, if it was open
                    announceSample();
                    setActivity(DeviceStatus.State.ANALYSING, "");
                    reportStorage();
                }
                case FINISH -> samples.finish(FinishReason.OPERATOR);
                case SHUTDOWN -> {
                    return true;
                }
            }
        }
        return requests.shutdownRequested();
    }

    private void announceSample() {
        samples.current().ifPresent(s -> {
            if (!s.id().equals(announcedSample)) {
                announcedSample = s.id();
                var d = s.snapshot();
                console.accept("sample " + s.id() + " started" + (d.targetCells() > 0 ? " (target "
                        + d.targetCells() + " leukocytes)" : "") + (d.fields() > 0 ? ", resumed with "
                        + d.whiteCells() + " white cells in " + d.fields() + " fields" : ""));
            }
        });
    }

    /** Reports a sample that just finished (target, limit, operator) once. */
    private void afterSampleFinished() {
        samples.current().ifPresent(this::reportFinished);
    }

    private void reportFinished(Sample s) {
        if (s.finished() && s.id().equals(announcedSample)) {
            announcedSample = null;
            console.accept("sample " + s.id() + " finished: " + formatDifferential(s.snapshot()));
            setActivity(DeviceStatus.State.READY, "press NEW SAMPLE for the next slide");
        }
    }

    private void onSkip(SkipReason reason) {
        skips.merge(reason, 1L, Long::sum);
        if (reason == SkipReason.BLURRED) {
            if (++blurredRun == OUT_OF_FOCUS_FRAMES) {
                setState(DeviceStatus.State.OUT_OF_FOCUS, "turn the fine focus until the cells are sharp");
            }
        } else if (reason == SkipReason.SETTLING || reason == SkipReason.ALREADY_ANALYSED) {
            focusBack(); // both are sharp, still frames
        } else {
            blurredRun = 0;
        }
    }

    /** A sharp, still frame: an out-of-focus warning is over even if no field was counted (between samples). */
    private void focusBack() {
        blurredRun = 0;
        if (state == DeviceStatus.State.OUT_OF_FOCUS) {
            setState(samples.counting() ? DeviceStatus.State.ANALYSING : DeviceStatus.State.READY,
                    samples.counting() ? "" : "press NEW SAMPLE for the next slide");
        }
    }

    private void onField(FieldReport report) {
        fieldsAnalysed++;
        focusBack();
        // The counts the sample took: a white-cell candidate the classifier calls an excluded label
        // (platelet) is a platelet here too.
        FieldTally tally = FieldTally.of(report, samples.excludedLabels());
        whiteCells += tally.whiteCells();
        StringBuilder found = new StringBuilder();
        report.calls().stream().map(CellCall::countedLabel).filter(l -> !samples.excludedLabels().contains(l))
                .forEach(l -> found.append(found.length() == 0 ? "" : " ").append(l));
        var d = lastSnapshot().orElseThrow();
        console.accept(String.format("field %d: %d WBC [%s], %d RBC, %d PLT, %.3f um/px | sample %d/%s leukocytes",
                report.field().index(), tally.whiteCells(), found, tally.redCells(), tally.platelets(),
                report.segmentation().micronsPerPixel(), d.leukocytes(),
                d.targetCells() > 0 ? String.valueOf(d.targetCells()) : "-"));
    }

    /**
     * Tells the sinks (display, MQTT status) when the storage starts failing, each change in the number
     * of counted fields held in memory meanwhile, and when every field is saved again.
     */
    private void reportStorage() {
        StorageStatus now = samples.storage();
        if (now.writable() != storageShown.writable() || now.fieldsInMemory() != storageShown.fieldsInMemory()) {
            if (now.writable() != storageShown.writable()) {
                console.accept(now.writable() ? "storage writable again: every counted field is saved"
                        : "storage full or read-only: counting in memory (" + now.reason() + ")");
            }
            storageShown = now;
            sinks.storage(now);
        }
    }

    /**
     * The first failure is logged and shown at once. A later failure worded differently (a wedged driver
     * after a read timeout: "unplug and replug the camera") is shown too, each wording once per outage
     * and at most {@value #CAMERA_WORDINGS} of them, since a flapping camera alternates between a few.
     */
    private void cameraDown(CaptureException e) {
        String detail = String.valueOf(e.getMessage());
        String wording = withoutRetryTime(detail);
        if (state != DeviceStatus.State.CAMERA_MISSING) {
            Logger.warn("camera unavailable: {}", detail);
            cameraWordings.clear();
            cameraWordings.add(wording);
            setState(DeviceStatus.State.CAMERA_MISSING, detail);
        } else if (cameraWordings.size() < CAMERA_WORDINGS && cameraWordings.add(wording)) {
            Logger.warn("camera still unavailable: {}", detail);
            sinks.status(new DeviceStatus(DeviceStatus.State.CAMERA_MISSING, detail));
        }
        try {
            Thread.sleep(CAMERA_RETRY_MILLIS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            requests.shutdown();
        }
    }

    /** The capture layer's "(retrying in N ms)" changes with every attempt; it is not news. */
    private static String withoutRetryTime(String detail) {
        return detail.replaceAll(" \\(retrying in \\d+ ms\\)", "");
    }

    /**
     * What the operator is doing (ANALYSING, READY). While the camera is missing that stays the status
     * shown: a button pressed meanwhile must not hide it; the status follows once frames come back.
     */
    private void setActivity(DeviceStatus.State newState, String detail) {
        if (state != DeviceStatus.State.CAMERA_MISSING) {
            setState(newState, detail);
        }
    }

    private void setState(DeviceStatus.State newState, String detail) {
        if (newState != state) {
            state = newState;
            sinks.status(new DeviceStatus(newState, detail));
        }
    }

    public static String formatDifferential(DifferentialSnapshot d) {
        StringBuilder sb = new StringBuilder();
        sb.append(d.whiteCells()).append(" WBC in ").append(d.fields()).append(" fields, ").append(d.leukocytes())
                .append(" leukocytes; count (per 100 leukocytes):");
        String[] sep = {" "};
        d.counts().forEach((label, n) -> {
            sb.append(String.format("%s%s %d (%.1f)", sep[0], label, n, d.percent(label)));
            sep[0] = ", ";
        });
        sb.append(", RBC ").append(d.redCells()).append(", PLT ").append(d.platelets());
        return sb.toString();
    }
}
