package org.hematovision.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hematovision.capture.CaptureException;
import org.hematovision.capture.Frame;
import org.hematovision.capture.FrameSource;
import org.hematovision.classify.CellClassifier;
import org.hematovision.classify.ModelMetadata;
import org.hematovision.classify.Prediction;
import org.hematovision.field.Field;
import org.hematovision.field.FieldGate;
import org.hematovision.field.FieldQuality;
import org.hematovision.field.GateDecision;
import org.hematovision.field.SkipReason;
import org.hematovision.image.BgrImage;
import org.hematovision.image.Box;
import org.hematovision.sample.Alert;
import org.hematovision.sample.DeviceStatus;
import org.hematovision.sample.DifferentialSnapshot;
import org.hematovision.sample.FieldReport;
import org.hematovision.sample.SampleListener;
import org.hematovision.segment.CellCrop;
import org.hematovision.segment.CellKind;
import org.hematovision.segment.CellRegion;
import org.hematovision.segment.ScaleTracker;
import org.hematovision.segment.Segmentation;
import org.hematovision.sample.SampleConfig;
import org.hematovision.sample.SampleJournal;
import org.hematovision.sample.SampleManager;
import org.hematovision.sample.StorageStatus;
import org.hematovision.segment.SegmenterConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run loop's own logic (limits, targets, operator requests, camera loss) with small fakes of
 * the stages; the stages themselves are tested for real in their packages and end to end.
 */
class RunLoopTest {

    private static final List<String> LABELS = List.of("lymphocyte", "neutrophil", "ig", "platelet");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);

    /** Emits frames; every frame is a new field. Can be told to fail a number of reads. */
    static final class ScriptedSource implements FrameSource {
        final int frames;
        int failuresLeft;
        int failAt;
        long index;

        ScriptedSource(int frames) {
            this.frames = frames;
        }

        @Override
        public Optional<Frame> next() throws CaptureException {
            if (index == failAt && failuresLeft > 0) {
                failuresLeft--;
                throw new CaptureException("camera /dev/video9 not found");
            }
            if (index >= frames) {
                return Optional.empty();
            }
            return Optional.of(new Frame(index++, 0, new BgrImage(32, 32, new byte[32 * 32 * 3])));
        }

        @Override
        public String description() {
            return "scripted";
        }

        @Override
        public void close() {
        }
    }

    /** Accepts every other frame (odd frames are "moving"). */
    static final class AlternateGate implements FieldGate {
        long fields;

        @Override
        public GateDecision offer(Frame frame) {
            FieldQuality q = new FieldQuality(100, 128, 0, 0);
            if (frame.index() % 2 == 1) {
                return new GateDecision.Skip(SkipReason.MOVING, q);
            }
            return new GateDecision.Analyse(new Field(fields++, frame, q));
        }

        @Override
        public Map<SkipReason, Long> skipCounts() {
            return new EnumMap<>(SkipReason.class);
        }
    }

    /** Two white cells per field. */
    static Segmentation twoCells(BgrImage img) {
        CellRegion a = new CellRegion(CellKind.WBC, new Box(1, 1, 10, 10), false);
        CellRegion b = new CellRegion(CellKind.WBC, new Box(15, 15, 10, 10), false);
        return new Segmentation(List.of(a, b), List.of(), List.of(), List.of(
                new CellCrop(a, img.crop(a.box())), new CellCrop(b, img.crop(b.box()))), Double.NaN, List.of());
    }

    /** First crop lymphocyte, second alternates neutrophil / ig. */
    static final class FixedClassifier implements CellClassifier {
        private final java.util.function.BiFunction<Integer, Integer, String> labelOfCallAndCrop;
        int calls;

        FixedClassifier() {
            this((call, crop) -> crop == 0 ? "lymphocyte" : (call % 2 == 0 ? "ig" : "neutrophil"));
        }

        /** Labels by call number (from 1) and crop index; ig and erythroblast are abnormal. */
        FixedClassifier(java.util.function.BiFunction<Integer, Integer, String> labelOfCallAndCrop) {
            this.labelOfCallAndCrop = labelOfCallAndCrop;
        }

        @Override
        public List<Prediction> classify(List<BgrImage> crops) {
            calls++;
            List<Prediction> out = new ArrayList<>();
            for (int i = 0; i < crops.size(); i++) {
                String label = labelOfCallAndCrop.apply(calls, i);
                out.add(new Prediction(label, label, 0.9f, new float[] {0.9f, 0.05f, 0.05f, 0f}, false,
                        label.equals("ig") || label.equals("erythroblast")));
            }
            return out;
        }

        @Override
        public ModelMetadata metadata() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    /** {@link FixedClassifier} that throws, as a native failure would, on some calls (1-based). */
    static final class FailingClassifier implements CellClassifier {
        final FixedClassifier inner = new FixedClassifier();
        final Set<Integer> failOn;
        final int failFrom;
        int calls;

        FailingClassifier(Set<Integer> failOn, int failFrom) {
            this.failOn = failOn;
            this.failFrom = failFrom;
        }

        @Override
        public List<Prediction> classify(List<BgrImage> crops) {
            calls++;
            if (failOn.contains(calls) || (failFrom > 0 && calls >= failFrom)) {
                throw new IllegalStateException("NaN in the model output (test)");
            }
            return inner.classify(crops);
        }

        @Override
        public ModelMetadata metadata() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    static class Recorder implements SampleListener {
        final List<String> events = new ArrayList<>();
        final List<DeviceStatus> statuses = new ArrayList<>();
        final List<StorageStatus> storage = new ArrayList<>();
        DifferentialSnapshot finished;

        @Override
        public void sampleStarted(String sampleId, int targetCells) {
            events.add("start " + sampleId);
        }

        @Override
        public void fieldAnalysed(FieldReport report, DifferentialSnapshot d) {
            events.add("field " + report.field().index());
        }

        @Override
        public void alert(Alert alert) {
            events.add("alert " + alert.label());
        }

        @Override
        public void sampleFinished(DifferentialSnapshot d, String reason) {
            events.add("finish " + reason);
            finished = d;
        }

        @Override
        public void status(DeviceStatus status) {
            statuses.add(status);
        }

        @Override
        public void storage(StorageStatus s) {
            storage.add(s);
        }
    }

    @TempDir
    java.nio.file.Path journalDir;

    private SampleManager manager(SampleListener listener, int target) {
        return new SampleManager(new SampleConfig(target, 0, 0, true), new SampleJournal(journalDir), LABELS,
                Set.of("platelet"), listener, CLOCK);
    }

    private RunLoop loop(FrameSource src, Recorder rec, int target, RunLimits limits, List<String> console) {
        Pipeline p = new Pipeline(src, new AlternateGate(), RunLoopTest::twoCells, new FixedClassifier(), CLOCK,
                ScaleTracker.of(SegmenterConfig.defaults()));
        return new RunLoop(p, manager(rec, target), new OperatorRequests(), rec, limits, console::add, () -> { });
    }

    @Test
    void fieldLimitStopsAndFinishesSampleWithExactCounts() {
        Recorder rec = new Recorder();
        List<String> console = new ArrayList<>();
        RunLoop.Summary s = loop(new ScriptedSource(100), rec, 1000, RunLimits.fields(5), console).run();
        assertEquals(5, s.fieldsAnalysed());
        assertEquals(9, s.framesRead());
        assertEquals(4L, s.skips().get(SkipReason.MOVING));
        assertEquals(10, rec.finished.whiteCells());
        assertEquals(5, rec.finished.counts().get("lymphocyte"));
        assertEquals(3, rec.finished.counts().get("neutrophil"));
        assertEquals(2, rec.finished.counts().get("ig"));
        assertEquals(2, rec.finished.abnormal());
        assertEquals("finish field-limit", rec.events.get(rec.events.size() - 1));
        assertEquals(2, rec.events.stream().filter(e -> e.equals("alert ig")).count());
        assertTrue(console.stream().anyMatch(l -> l.startsWith("field 4: 2 WBC [lymphocyte neutrophil]")), console::toString);
        assertEquals(DeviceStatus.State.STOPPED, rec.statuses.get(rec.statuses.size() - 1).state());
    }

    @Test
    void targetFinishesSampleThenWaitsForNewSample() {
        Recorder rec = new Recorder();
        RunLoop.Summary s = loop(new ScriptedSource(40), rec, 6, RunLimits.NONE, new ArrayList<>()).run();
        assertEquals("end of source", s.endReason());
        // 3 fields reach 6 cells; the rest of the slide is followed but not counted.
        assertEquals(1, rec.events.stream().filter(e -> e.equals("finish target")).count());
        assertEquals(3, rec.events.stream().filter(e -> e.startsWith("field ")).count());
        assertEquals(6, rec.finished.whiteCells());
        assertEquals(DeviceStatus.State.READY, rec.statuses.get(rec.statuses.size() - 2).state());
    }

    @Test
    void cellLimitCountsLeukocytesNotNucleatedRedCells() {
        // every field: one lymphocyte and one erythroblast; 4 leukocytes need 4 fields, not 2
        CellClassifier oneOfEach = new FixedClassifier((call, crop) -> crop == 0 ? "lymphocyte" : "erythroblast");
        Recorder rec = new Recorder();
        Pipeline p = new Pipeline(new ScriptedSource(1000), new AlternateGate(), RunLoopTest::twoCells, oneOfEach, CLOCK,
                ScaleTracker.of(SegmenterConfig.defaults()));
        SampleManager samples = new SampleManager(new SampleConfig(1000, 0, 0, true), new SampleJournal(journalDir),
                List.of("lymphocyte", "erythroblast", "platelet"), Set.of("platelet"), rec, CLOCK);
        RunLoop.Summary s = new RunLoop(p, samples, new OperatorRequests(), rec, RunLimits.forRun(0, 4, 0),
                l -> { }, () -> { }).run();
        assertEquals("cell limit 4 reached", s.endReason());
        assertEquals(4, s.fieldsAnalysed());
        assertEquals(4, rec.finished.leukocytes());
        assertEquals(4, rec.finished.counts().get("erythroblast"));
        assertEquals("finish target", rec.events.get(rec.events.size() - 1));
    }

    @Test
    void aFieldWhoseAnalysisThrowsIsNotCountedAndTheSampleGoesOn() {
        Recorder rec = new Recorder();
        Pipeline p = new Pipeline(new ScriptedSource(100), new AlternateGate(), RunLoopTest::twoCells,
                new FailingClassifier(Set.of(2), 0), CLOCK, ScaleTracker.of(SegmenterConfig.defaults()));
        RunLoop.Summary s = new RunLoop(p, manager(rec, 1000), new OperatorRequests(), rec, RunLimits.fields(4),
                l -> { }, () -> { }).run();
        assertEquals(4, s.fieldsAnalysed());
        assertEquals(1, s.fieldsFailed());
        assertTrue(!s.failed());
        assertEquals(8, rec.finished.whiteCells());
        assertEquals("finish field-limit", rec.events.get(rec.events.size() - 1));
    }

    @Test
    void analysisFailingOnEveryFieldStopsTheRunAndLeavesTheSampleToResume() {
        Recorder rec = new Recorder();
        Pipeline p = new Pipeline(new ScriptedSource(1000), new AlternateGate(), RunLoopTest::twoCells,
                new FailingClassifier(Set.of(), 3), CLOCK, ScaleTracker.of(SegmenterConfig.defaults()));
        List<String> console = new ArrayList<>();
        RunLoop.Summary s = new RunLoop(p, manager(rec, 1000), new OperatorRequests(), rec, RunLimits.NONE,
                console::add, () -> { }).run();
        assertTrue(s.failed());
        assertEquals(2, s.fieldsAnalysed());
        assertEquals(RunLoop.MAX_FAILED_FIELDS_IN_A_ROW, s.fieldsFailed());
        assertTrue(s.endReason().contains("fields in a row"), s.endReason());
        assertTrue(rec.events.stream().noneMatch(e -> e.startsWith("finish")), rec.events::toString);
        assertEquals(DeviceStatus.State.STOPPED, rec.statuses.get(rec.statuses.size() - 1).state());
        String id = rec.events.get(0).substring("start ".length());
        assertTrue(console.contains("sample " + id + " left open: the next start resumes it"), console::toString);

        // the next start (systemd restarts a failed run) resumes the same sample with both fields,
        // and numbers its next field 2, so stored field images and journal lines keep distinct numbers
        Recorder after = new Recorder();
        Pipeline again = new Pipeline(new ScriptedSource(1000), new AlternateGate(), RunLoopTest::twoCells,
                new FixedClassifier(), CLOCK, ScaleTracker.of(SegmenterConfig.defaults()));
        RunLoop.Summary next = new RunLoop(again, manager(after, 1000), new OperatorRequests(), after,
                RunLimits.fields(1), l -> { }, () -> { }).run();
        assertEquals(List.of("start " + id, "field 2"), after.events.subList(0, 2));
        assertEquals(id, next.lastSample().sampleId());
        assertEquals(6, next.lastSample().whiteCells());
        assertEquals(3, next.lastSample().fields());
    }

    @Test
    void limitedRunEndsWhenItsSampleFinishesBeforeTheLimit() {
        // run --fields 20 with a sample target reached at field 3: waiting for a "new sample" press
        // that never comes would never reach 20 fields.
        Recorder rec = new Recorder();
        RunLoop.Summary s = loop(new ScriptedSource(1000), rec, 6, RunLimits.forRun(20, 0, 0), new ArrayList<>()).run();
        assertEquals("sample finished", s.endReason());
        assertEquals(3, s.fieldsAnalysed());
        assertEquals(1, rec.events.stream().filter(e -> e.equals("finish target")).count());
    }

    @Test
    void operatorNewSampleAndShutdownAreTakenBetweenFrames() {
        Recorder rec = new Recorder();
        ScriptedSource src = new ScriptedSource(1000);
        OperatorRequests operator = new OperatorRequests();
        SampleListener stopper = new SampleListener() {
            int fields;

            @Override
            public void fieldAnalysed(FieldReport report, DifferentialSnapshot d) {
                rec.fieldAnalysed(report, d);
                fields++;
                if (fields == 2) {
                    operator.newSample();
                } else if (fields == 4) {
                    operator.shutdown();
                }
            }

            @Override
            public void sampleStarted(String id, int t) {
                rec.sampleStarted(id, t);
            }

            @Override
            public void sampleFinished(DifferentialSnapshot d, String reason) {
                rec.sampleFinished(d, reason);
            }
        };
        Pipeline p = new Pipeline(src, new AlternateGate(), RunLoopTest::twoCells, new FixedClassifier(), CLOCK,
                ScaleTracker.of(SegmenterConfig.defaults()));
        List<String> console = new ArrayList<>();
        RunLoop.Summary s = new RunLoop(p, manager(stopper, 1000), operator, stopper, RunLimits.NONE, console::add,
                () -> { }).run();
        assertEquals("stopped by operator", s.endReason());
        String first = rec.events.get(0).substring("start ".length());
        assertTrue(console.stream().anyMatch(l -> l.startsWith("sample " + first + " finished: 4 WBC in 2 fields")),
                "the sample NEW SAMPLE closed is reported on the console: " + console);
        assertEquals(8, rec.events.size(), rec.events::toString);
        assertTrue(rec.events.get(0).startsWith("start "));
        assertEquals(List.of("field 0", "field 1", "finish new-sample"), rec.events.subList(1, 4));
        assertTrue(rec.events.get(4).startsWith("start ") && !rec.events.get(4).equals(rec.events.get(0)));
        // fields are numbered within their sample
        assertEquals(List.of("field 0", "field 1", "finish shutdown"), rec.events.subList(5, 8));
        assertEquals(4, rec.finished.whiteCells());
    }

    @Test
    void cameraLossIsReportedAndRecovered() {
        Recorder rec = new Recorder();
        ScriptedSource src = new ScriptedSource(6);
        src.failAt = 2;
        src.failuresLeft = 2;
        RunLoop.Summary s = loop(src, rec, 1000, RunLimits.NONE, new ArrayList<>()).run();
        assertEquals(3, s.fieldsAnalysed());
        List<DeviceStatus.State> states = rec.statuses.stream().map(DeviceStatus::state).toList();
        assertEquals(List.of(DeviceStatus.State.ANALYSING, DeviceStatus.State.CAMERA_MISSING,
                DeviceStatus.State.ANALYSING, DeviceStatus.State.READY, DeviceStatus.State.STOPPED), states);
        assertTrue(rec.statuses.get(1).detail().contains("/dev/video9"));
    }

    /**
     * Storage failing is simulated as root can't defeat it: a regular file where the journal
     * directory should be (the journal cannot even start), removed after the third field.
     */
    @Test
    void storageFailureIsSignalledWithTheFieldsInMemoryAndItsRecoveryToo() throws Exception {
        java.nio.file.Path blocked = journalDir.resolve("journal");
        java.nio.file.Files.writeString(blocked, "not a directory");
        Recorder rec = new Recorder();
        List<String> problems = new ArrayList<>();
        SampleListener sinks = new Sinks(List.of(rec, new SampleListener() {
            @Override
            public void fieldAnalysed(FieldReport report, DifferentialSnapshot d) {
                if (d.fields() == 3) {
                    try {
                        java.nio.file.Files.delete(blocked); // space returns
                    } catch (java.io.IOException e) {
                        problems.add(e.toString());
                    }
                }
            }
        }));
        SampleManager samples = new SampleManager(new SampleConfig(1000, 0, 0, true), new SampleJournal(blocked),
                LABELS, Set.of("platelet"), sinks, CLOCK);
        Pipeline p = new Pipeline(new ScriptedSource(12), new AlternateGate(), RunLoopTest::twoCells,
                new FixedClassifier(), CLOCK, ScaleTracker.of(SegmenterConfig.defaults()));
        List<String> console = new ArrayList<>();
        RunLoop.Summary s = new RunLoop(p, samples, new OperatorRequests(), sinks, RunLimits.fields(5), console::add,
                () -> { }).run();

        assertEquals(List.of(), problems);
        assertEquals(5, s.fieldsAnalysed());
        assertEquals(0, s.fieldsNotStored());
        // at start-up (nothing counted yet), then one more field in memory each, then all saved
        assertEquals(List.of(false, false, false, false, true),
                rec.storage.stream().map(StorageStatus::writable).toList(), rec.storage::toString);
        assertEquals(List.of(0, 1, 2, 3, 0), rec.storage.stream().map(StorageStatus::fieldsInMemory).toList());
        assertTrue(rec.storage.get(0).reason().contains(blocked.toString()), rec.storage.get(0).reason());
        assertEquals(StorageStatus.OK, rec.storage.get(4));
        assertTrue(console.stream().anyMatch(l -> l.startsWith("storage full or read-only")), console::toString);
        assertTrue(console.stream().anyMatch(l -> l.startsWith("storage writable again")), console::toString);
        // the journal caught up: all five fields are on disk (no record store here to archive it)
        List<String> lines = java.nio.file.Files.readAllLines(blocked.resolve(s.lastSample().sampleId() + ".ndjson"));
        assertEquals(5, lines.stream().filter(l -> l.contains("\"type\":\"field\"")).count(), lines::toString);
    }

    /** Frames as {@link ScriptedSource}, but reads {@code failAt..} fail with the given messages first. */
    static final class WordedFailures implements FrameSource {
        final ScriptedSource frames;
        final java.util.Deque<String> failures;
        final long failAt;

        WordedFailures(int frames, long failAt, String... failures) {
            this.frames = new ScriptedSource(frames);
            this.failAt = failAt;
            this.failures = new java.util.ArrayDeque<>(List.of(failures));
        }

        @Override
        public Optional<Frame> next() throws CaptureException {
            if (frames.index == failAt && !failures.isEmpty()) {
                throw new CaptureException(failures.poll());
            }
            return frames.next();
        }

        @Override
        public String description() {
            return "worded failures";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aCameraFailureWordedDifferentlyIsShownOnceAndTheRetryTimeIsNotNews() {
        Recorder rec = new Recorder();
        WordedFailures src = new WordedFailures(4, 2,
                "read timed out after 2000 ms; is the camera still connected?",
                "cannot open /dev/video0 (retrying in 250 ms)",
                "cannot open /dev/video0 (retrying in 500 ms)",
                "read timed out after 2000 ms; is the camera still connected?",
                "the driver has not answered for 30 s: unplug and replug the camera");
        loop(src, rec, 1000, RunLimits.NONE, new ArrayList<>()).run();
        List<String> missing = rec.statuses.stream().filter(st -> st.state() == DeviceStatus.State.CAMERA_MISSING)
                .map(DeviceStatus::detail).toList();
        assertEquals(List.of("read timed out after 2000 ms; is the camera still connected?",
                "cannot open /dev/video0 (retrying in 250 ms)",
                "the driver has not answered for 30 s: unplug and replug the camera"), missing);
    }

    @Test
    void newSamplePressedWhileTheCameraIsMissingKeepsThatStatus() {
        Recorder rec = new Recorder();
        OperatorRequests operator = new OperatorRequests();
        Recorder pressing = new Recorder() {
            @Override
            public void status(DeviceStatus status) {
                super.status(status);
                if (status.state() == DeviceStatus.State.CAMERA_MISSING && statuses.size() == 2) {
                    operator.newSample();
                }
            }
        };
        WordedFailures src = new WordedFailures(4, 2, "camera /dev/video9 not found", "camera /dev/video9 not found",
                "camera /dev/video9 not found");
        Pipeline p = new Pipeline(src, new AlternateGate(), RunLoopTest::twoCells, new FixedClassifier(), CLOCK,
                ScaleTracker.of(SegmenterConfig.defaults()));
        new RunLoop(p, manager(pressing, 1000), operator, pressing, RunLimits.NONE, l -> { }, () -> { }).run();
        List<String> states = pressing.statuses.stream().map(st -> st.state() + " " + st.detail()).toList();
        assertEquals(List.of("ANALYSING ", "CAMERA_MISSING camera /dev/video9 not found", "ANALYSING camera is back",
                "READY press NEW SAMPLE for the next slide", "STOPPED end of source"), states);
        assertEquals(2, pressing.events.stream().filter(e -> e.startsWith("start ")).count(), "the new sample started");
    }

    /** Decides per frame from a script: "A" analyse, anything else the skip reason of that name. */
    static final class ScriptedGate implements FieldGate {
        final List<String> script;
        long fields;
        int holds;
        int notCounted;

        ScriptedGate(List<String> script) {
            this.script = script;
        }

        @Override
        public GateDecision offer(Frame frame) {
            FieldQuality q = new FieldQuality(100, 128, 0, 0);
            String step = script.get((int) Math.min(frame.index(), script.size() - 1));
            return step.equals("A") ? new GateDecision.Analyse(new Field(fields++, frame, q))
                    : new GateDecision.Skip(SkipReason.valueOf(step), q);
        }

        @Override
        public Map<SkipReason, Long> skipCounts() {
            return new EnumMap<>(SkipReason.class);
        }

        @Override
        public void holdCurrentView() {
            holds++;
        }

        @Override
        public void fieldNotCounted() {
            notCounted++;
        }
    }

    @Test
    void theFocusWarningEndsOnSharpStillFramesEvenWithNoSampleOpen() {
        List<String> script = new ArrayList<>(List.of("A")); // two cells: the target of 2 is reached
        for (int k = 0; k < RunLoop.OUT_OF_FOCUS_FRAMES; k++) {
            script.add("BLURRED"); // the slide taken out
        }
        script.addAll(List.of("MOVING", "SETTLING", "SETTLING", "A"));
        Recorder rec = new Recorder();
        ScriptedGate gate = new ScriptedGate(script);
        Pipeline p = new Pipeline(new ScriptedSource(script.size()), gate, RunLoopTest::twoCells,
                new FixedClassifier(), CLOCK, ScaleTracker.of(SegmenterConfig.defaults()));
        new RunLoop(p, manager(rec, 2), new OperatorRequests(), rec, RunLimits.NONE, l -> { }, () -> { }).run();
        assertEquals(1, gate.notCounted, "the field accepted with no sample open is handed back to the gate");
        List<DeviceStatus.State> states = rec.statuses.stream().map(DeviceStatus::state).toList();
        assertEquals(List.of(DeviceStatus.State.ANALYSING, DeviceStatus.State.READY, DeviceStatus.State.OUT_OF_FOCUS,
                DeviceStatus.State.READY, DeviceStatus.State.STOPPED), states);
    }

    @Test
    void aSampleResumedWithFieldsHoldsTheViewUnderTheObjectiveUntilTheSlideMoves() throws Exception {
        Recorder rec = new Recorder();
        ScriptedGate first = new ScriptedGate(List.of("A"));
        Pipeline before = new Pipeline(new ScriptedSource(1), first, RunLoopTest::twoCells, new FixedClassifier(), CLOCK,
                ScaleTracker.of(SegmenterConfig.defaults()));
        SampleManager m = manager(rec, 1000);
        m.open();
        assertTrue(before.step(m) instanceof Pipeline.Step.Analysed); // one field journalled, then the power goes
        assertEquals(0, first.holds);

        ScriptedGate after = new ScriptedGate(List.of("SETTLING"));
        Pipeline p = new Pipeline(new ScriptedSource(3), after, RunLoopTest::twoCells, new FixedClassifier(), CLOCK,
                ScaleTracker.of(SegmenterConfig.defaults()));
        new RunLoop(p, manager(rec, 1000), new OperatorRequests(), rec, RunLimits.NONE, l -> { }, () -> { }).run();
        assertEquals(1, after.holds, "resumed with a field: held");

        ScriptedGate fresh = new ScriptedGate(List.of("SETTLING"));
        Pipeline q = new Pipeline(new ScriptedSource(3), fresh, RunLoopTest::twoCells, new FixedClassifier(), CLOCK,
                ScaleTracker.of(SegmenterConfig.defaults()));
        new RunLoop(q, manager(rec, 1000), new OperatorRequests(), rec, RunLimits.NONE, l -> { }, () -> { }).run();
        assertEquals(0, fresh.holds, "a new sample has nothing to hold");
    }

    @Test
    void failingSinkDoesNotStopOtherSinks() {
        Recorder rec = new Recorder();
        SampleListener broken = new SampleListener() {
            @Override
            public void fieldAnalysed(FieldReport report, DifferentialSnapshot d) {
                throw new IllegalStateException("SPI bus error");
            }
        };
        Sinks sinks = new Sinks(List.of(broken, rec));
        Pipeline p = new Pipeline(new ScriptedSource(10), new AlternateGate(), RunLoopTest::twoCells,
                new FixedClassifier(), CLOCK, ScaleTracker.of(SegmenterConfig.defaults()));
        new RunLoop(p, manager(sinks, 1000), new OperatorRequests(), sinks, RunLimits.NONE, l -> { }, () -> { }).run();
        assertEquals(5, rec.events.stream().filter(e -> e.startsWith("field")).count());
        assertEquals(5, sinks.failures());
    }
}
