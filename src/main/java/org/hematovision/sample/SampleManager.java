package org.hematovision.sample;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.hematovision.logging.RateLimitedLog;
import org.tinylog.Logger;

/**
 * The sample lifecycle: one sample at a time, every counted field journalled before it is counted,
 * finished at the target, at a field or time limit, or by the operator; after a crash the open sample
 * is resumed or closed as incomplete ({@link SampleConfig#resumeAfterRestart()}), never lost.
 *
 * <p>Confined to the pipeline thread. Requests from buttons, CLI or MQTT arrive on other threads; the
 * {@link SampleControl} implementation queues them and the pipeline thread calls {@link #newSample()}
 * or {@link #finish(String)} between fields.
 *
 * <p>Storage full or read-only while running: a field that cannot be journalled is still counted, kept
 * in memory in order, and journalled before the next field as soon as the storage takes writes again
 * (also a sample whose journal could not even be started); the failure is logged at most once a
 * minute. Only a power cut while the storage is failing loses those in-memory fields. The same holds
 * from start-up: a journal that cannot be started, reopened or closed then is retried before each
 * field ({@link #storage()} says so); the caller checks beforehand that the data directory exists.
 * A sample finished meanwhile keeps its unwritten fields and finish line in memory until they are
 * written, before anything of the next sample: a journal left without its finish line would be resumed
 * at the next start and the next slide counted into it.
 *
 * <p>States: no sample → {@link #open()} or {@link #newSample()} → open → (target | limit | finish) →
 * finished; a finished sample ignores fields until {@link #newSample()}.
 */
public final class SampleManager {

    /** Pause between attempts to write a finished sample's end while no sample is open. */
    private static final Duration FINISH_RETRY = Duration.ofSeconds(30);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** What {@link #add} did with a field. */
    public enum Outcome {
        /** Counted; the sample is still open. */
        COUNTED,
        /** Counted, and the sample then finished (target or limit reached). */
        FINISHED,
        /** Not counted: no open sample, or the field belongs to another sample. */
        IGNORED
    }

    private final SampleConfig config;
    private final SampleJournal journal;
    private final List<String> labels;
    private final Set<String> excludedLabels;
    private final SampleListener listener;
    private final Clock clock;
    private Sample current;
    private SampleJournal.Appender appender;
    /** Counted fields of the current sample not yet on disk (storage full or read-only), oldest first. */
    private final Deque<FieldTally> unjournalled = new ArrayDeque<>();
    private final RateLimitedLog storageLog = new RateLimitedLog();
    /** Why the last journal write failed; null while the journal takes writes. */
    private String storageProblem;
    /** The current sample's journal exists on disk (resumed) but could not be reopened yet. */
    private boolean reopenJournal;
    private String lastIssuedId = "";
    /** Finished samples whose last fields or finish line the storage refused, oldest first. */
    private final Deque<UnwrittenFinish> unwrittenFinishes = new ArrayDeque<>();
    private Instant lastFinishRetry = Instant.EPOCH;

    /** What a finished sample's journal still lacks; {@code fields} shrinks as lines reach the disk. */
    private record UnwrittenFinish(String sampleId, Instant started, int targetCells, Deque<FieldTally> fields,
                                   String reason, Instant time) {
    }

    /**
     * @param labels         the classifier's labels in model order
     * @param excludedLabels labels that are not white cells (e.g. platelet)
     * @param listener       all sinks (display, MQTT, record store), e.g. combined by the pipeline
     */
    public SampleManager(SampleConfig config, SampleJournal journal, List<String> labels, Set<String> excludedLabels,
                         SampleListener listener, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.journal = Objects.requireNonNull(journal, "journal");
        this.labels = List.copyOf(labels);
        this.excludedLabels = Set.copyOf(excludedLabels);
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Start-up: replays what the journal holds, then returns the open sample: the one resumed after a
     * crash, or a new one. Samples finished before the crash whose record was not yet stored are
     * finished again so that the sinks store them; an open sample that is not resumed is finished as
     * {@link FinishReason#INCOMPLETE_AFTER_RESTART}.
     */
    public Sample open() {
        if (current != null) {
            throw new IllegalStateException("open() was already called");
        }
        List<SampleJournal.Recovered> recovered = journal.recover();
        SampleJournal.Recovered resume = null;
        for (int i = 0; i < recovered.size(); i++) {
            SampleJournal.Recovered r = recovered.get(i);
            boolean newest = i == recovered.size() - 1;
            if (r.finishReason().isPresent()) {
                Logger.info("sample {} was finished ({}) but not stored before the restart; storing it now",
                        r.sampleId(), r.finishReason().get());
                // the journal's finish time, not now: the restart may come hours later
                rebuild(r).finish(r.finishReason().get(), r.finished().orElseGet(() -> lastActivity(r)));
            } else if (newest && config.resumeAfterRestart()) {
                resume = r;
            } else {
                Logger.warn("sample {} was open at the restart; closing it as incomplete with its {} fields",
                        r.sampleId(), r.fields().size());
                // It ended when its last field was counted; the same time in the journal and the record, so a
                // record stored only at a later start says the same.
                Instant ended = lastActivity(r);
                try (SampleJournal.Appender a = journal.reopen(r.sampleId())) {
                    a.finish(FinishReason.INCOMPLETE_AFTER_RESTART, ended);
                } catch (JournalException e) {
                    // Storage read-only: its record is stored now if it can be, else the next start closes it again.
                    storageFailed(e);
                }
                rebuild(r).finish(FinishReason.INCOMPLETE_AFTER_RESTART, ended);
            }
        }
        if (resume != null) {
            Logger.info("resuming sample {} after a restart: {} fields already counted", resume.sampleId(),
                    resume.fields().size());
            current = rebuild(resume);
            reopenJournal = true;
            catchUpJournal();
            finishIfLimitReached();
            if (!current.finished()) {
                return current;
            }
        }
        return newSample();
    }

    /** Labels that are not white cells (e.g. platelet): such a call counts as a platelet. */
    public Set<String> excludedLabels() {
        return excludedLabels;
    }

    /** The current sample (open or just finished), if any. */
    public Optional<Sample> current() {
        return Optional.ofNullable(current);
    }

    /** True when a sample is open for fields. */
    public boolean counting() {
        return current != null && !current.finished();
    }

    /**
     * Journals the field (fsync), then counts it and tells the sinks; finishes the sample when the
     * target or a limit is reached. When the journal cannot be written the field is counted anyway and
     * kept in memory until the journal catches up ({@link #unjournalledFields()}).
     */
    public Outcome add(FieldReport report) {
        if (!counting()) {
            Logger.debug("field {} ignored: no sample open", report.field().index());
            return Outcome.IGNORED;
        }
        if (!report.sampleId().equals(current.id())) {
            Logger.warn("field {} of sample {} ignored: sample {} is open", report.field().index(), report.sampleId(),
                    current.id());
            return Outcome.IGNORED;
        }
        unjournalled.addLast(FieldTally.of(report, excludedLabels));
        catchUpJournal();
        current.add(report);
        return finishIfLimitReached() ? Outcome.FINISHED : Outcome.COUNTED;
    }

    /**
     * Finishes the open sample when its time limit has passed, for a pipeline that sees no fields
     * (slide removed). Returns true when it finished it.
     */
    public boolean checkLimits() {
        if (!unwrittenFinishes.isEmpty() && !counting()
                && Duration.between(lastFinishRetry, clock.instant()).compareTo(FINISH_RETRY) >= 0) {
            // idle between samples: do not wait for the next sample to write the last one's end
            lastFinishRetry = clock.instant();
            try {
                writeUnwrittenFinishes();
                storageLog.recovered("journal", "sample journal writable again: finished samples written");
                storageProblem = null;
            } catch (JournalException e) {
                storageFailed(e);
            }
        }
        return counting() && finishIfLimitReached();
    }


    /** Counted fields of the current sample held only in memory because the storage failed; 0 normally. */
    public int unjournalledFields() {
        int n = unjournalled.size();
        for (UnwrittenFinish u : unwrittenFinishes) {
            n += u.fields().size();
        }
        return n;
    }

    /** Whether the journal takes writes, and how many counted fields wait in memory meanwhile. */
    public StorageStatus storage() {
        return storageProblem == null && unjournalled.isEmpty() && unwrittenFinishes.isEmpty() ? StorageStatus.OK
                : StorageStatus.failing(unjournalledFields(), storageProblem == null ? "" : storageProblem);
    }

    /**
     * Writes what the journal is missing of the current sample (its start line, then the fields held in
     * memory, in order). Returns false, logging at most once a minute, while the storage still fails.
     */
    private boolean catchUpJournal() {
        try {
            writeUnwrittenFinishes(); // an earlier sample's end goes first
            if (appender == null && reopenJournal) {
                appender = journal.reopen(current.id());
                reopenJournal = false;
            } else if (appender == null) {
                appender = journal.start(current.id(), current.started(), config.targetCells(), labels, excludedLabels);
            }
            while (!unjournalled.isEmpty()) {
                appender.field(unjournalled.peekFirst());
                unjournalled.removeFirst();
            }
            storageLog.recovered("journal", "sample journal writable again: sample " + current.id() + " caught up");
            storageProblem = null;
            return true;
        } catch (JournalException e) {
            storageLog.error("journal", e.getMessage() + "; counting goes on in memory (" + unjournalled.size()
                    + " field(s) of sample " + current.id() + " wait to be journalled)");
            storageProblem = e.getMessage();
            return false;
        }
    }

    /** Writes the journals' ends of finished samples held in memory, oldest first; throws while the storage refuses. */
    private void writeUnwrittenFinishes() {
        while (!unwrittenFinishes.isEmpty()) {
            UnwrittenFinish u = unwrittenFinishes.peekFirst();
            if (journal.archivedSinceStart(u.sampleId())) {
                // its record was stored after all, with every field: the journal is not needed any more
                unwrittenFinishes.removeFirst();
                continue;
            }
            // its journal may never have been started (storage failing since the sample began)
            try (SampleJournal.Appender a = Files.exists(journal.file(u.sampleId())) ? journal.reopen(u.sampleId())
                    : journal.start(u.sampleId(), u.started(), u.targetCells(), labels, excludedLabels)) {
                while (!u.fields().isEmpty()) {
                    a.field(u.fields().peekFirst());
                    u.fields().removeFirst();
                }
                a.finish(u.reason(), u.time());
            }
            unwrittenFinishes.removeFirst();
            Logger.info("sample {}: the journal holds its end now (finished {}, {})", u.sampleId(), u.time(), u.reason());
        }
    }

    private void storageFailed(JournalException e) {
        storageLog.error("journal", e.getMessage() + "; counting goes on in memory");
        storageProblem = e.getMessage();
    }

    /** Finishes the open sample (if any) with {@link FinishReason#NEW_SAMPLE} and starts a new one. */
    public Sample newSample() {
        if (counting()) {
            finish(FinishReason.NEW_SAMPLE);
        }
        Instant now = clock.instant();
        String id = nextId(now);
        lastIssuedId = id;
        unjournalled.clear();
        appender = null;
        reopenJournal = false;
        current = new Sample(id, labels, excludedLabels, config.targetCells(), listener, clock, now, List.of());
        catchUpJournal(); // storage failing (also at start-up): the sample runs in memory, the journal starts when it can
        Logger.info("sample {} started (target {} leukocytes)", id, config.targetCells());
        return current;
    }

    /** Finishes the open sample with {@code reason} (a {@link FinishReason}); does nothing when none is open. */
    public void finish(String reason) {
        if (!counting()) {
            return;
        }
        // The finish line goes first: if the record cannot be stored, the next start stores it again.
        Instant now = clock.instant();
        boolean written = false;
        try {
            if (catchUpJournal()) {
                appender.finish(reason, now);
                written = true;
            }
        } catch (JournalException e) {
            storageFailed(e);
        } finally {
            if (appender != null) {
                appender.close();
                appender = null;
            }
        }
        if (!written) {
            Logger.error("sample {} finished with {} counted field(s) and its finish line not journalled (storage full "
                    + "or read-only): held in memory and written as soon as the storage takes writes, before "
                    + "anything of the next sample; a power cut before then loses them", current.id(), unjournalled.size());
            unwrittenFinishes.addLast(new UnwrittenFinish(current.id(), current.started(), current.snapshot().targetCells(),
                    new ArrayDeque<>(unjournalled), reason, now));
            unjournalled.clear();
            reopenJournal = false;
        }
        current.finish(reason, now);
        Logger.info("sample {} finished ({}): {} white cells, {} leukocytes", current.id(), reason,
                current.snapshot().whiteCells(), current.snapshot().leukocytes());
    }

    private boolean finishIfLimitReached() {
        if (current.targetReached()) {
            finish(FinishReason.TARGET);
        } else if (config.maxFields() > 0 && current.snapshot().fields() >= config.maxFields()) {
            finish(FinishReason.FIELD_LIMIT);
        } else if (config.maxMinutes() > 0
                && Duration.between(current.started(), clock.instant()).toMinutes() >= config.maxMinutes()) {
            finish(FinishReason.TIME_LIMIT);
        } else {
            return false;
        }
        return true;
    }

    /** The last thing known of a recovered sample: its last field's time, or its start when it has none. */
    private static Instant lastActivity(SampleJournal.Recovered r) {
        return r.fields().isEmpty() ? r.started() : r.fields().get(r.fields().size() - 1).time();
    }

    private Sample rebuild(SampleJournal.Recovered r) {
        return new Sample(r.sampleId(), r.labels(), r.excluded(), r.targetCells(), listener, clock, r.started(),
                r.fields());
    }

    /**
     * Ids are {@code HV-yyyyMMdd-HHmmss} (UTC), readable on a label, and strictly increasing across
     * restarts: when the clock has not moved past the last id's second (same second, or a board
     * without a real-time clock whose time went back), the last id's time is kept with a higher
     * {@code -N} suffix, so a new sample can never take the id of a stored record.
     */
    private String nextId(Instant now) {
        String base = "HV-" + ID_TIME.format(now);
        String fromDisk = journal.lastId();
        // The last id may not have reached the disk (storage full): never reuse one issued in memory.
        String last = SampleJournal.ID_ORDER.compare(fromDisk, lastIssuedId) >= 0 ? fromDisk : lastIssuedId;
        if (last.isEmpty() || base.compareTo(SampleJournal.idBase(last)) > 0) {
            return base;
        }
        return SampleJournal.idBase(last) + "-" + (SampleJournal.idSuffix(last) + 1);
    }
}
