package org.hematovision.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.hematovision.sample.Alert;
import org.hematovision.sample.DeviceStatus;
import org.hematovision.sample.DifferentialSnapshot;
import org.hematovision.sample.FieldReport;
import org.hematovision.sample.SampleListener;
import org.hematovision.sample.StorageStatus;
import org.tinylog.Logger;

/**
 * Hands every sample event to each sink in turn. A sink that throws is isolated: the failure is
 * logged the first time for that sink and event (then only counted), and the other sinks still
 * get the event, so a broken display never stops the count or the MQTT publication.
 */
public final class Sinks implements SampleListener {

    private final List<SampleListener> sinks;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();
    private final Map<String, java.util.concurrent.atomic.LongAdder> nanosBySink = new ConcurrentHashMap<>();

    public Sinks(List<SampleListener> sinks) {
        this.sinks = List.copyOf(sinks);
    }

    /** Sink failures since start (each is also logged once per sink and event type). */
    public long failures() {
        return failures.get();
    }

    private void each(String event, Consumer<SampleListener> call) {
        for (SampleListener sink : sinks) {
            long t0 = System.nanoTime();
            try {
                call.accept(sink);
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                String key = sink.getClass().getName() + "#" + event;
                if (reported.add(key)) {
                    Logger.error(e, "sink {} failed on {} (further failures of this kind are counted, not logged): {}",
                            sink.getClass().getName(), event, e.getMessage());
                }
            } finally {
                nanosBySink.computeIfAbsent(sink.getClass().getSimpleName(), k -> new java.util.concurrent.atomic.LongAdder())
                        .add(System.nanoTime() - t0);
            }
        }
    }

    /** Time spent in each sink since start, by sink class (for {@code bench}: where "publish" goes). */
    public Map<String, Long> nanosBySink() {
        Map<String, Long> out = new java.util.TreeMap<>();
        nanosBySink.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    @Override
    public void sampleStarted(String sampleId, int targetCells) {
        each("sampleStarted", s -> s.sampleStarted(sampleId, targetCells));
    }

    @Override
    public void sampleStarted(String sampleId, int targetCells, Instant started) {
        each("sampleStarted", s -> s.sampleStarted(sampleId, targetCells, started));
    }

    @Override
    public void sampleResumed(DifferentialSnapshot differential) {
        each("sampleResumed", s -> s.sampleResumed(differential));
    }

    @Override
    public void fieldAnalysed(FieldReport report, DifferentialSnapshot differential) {
        each("fieldAnalysed", s -> s.fieldAnalysed(report, differential));
    }

    @Override
    public void alert(Alert alert) {
        each("alert", s -> s.alert(alert));
    }

    @Override
    public void sampleFinished(DifferentialSnapshot differential, String reason) {
        each("sampleFinished", s -> s.sampleFinished(differential, reason));
    }

    @Override
    public void sampleFinished(DifferentialSnapshot differential, String reason, Instant finished) {
        each("sampleFinished", s -> s.sampleFinished(differential, reason, finished));
    }

    @Override
    public void status(DeviceStatus status) {
        each("status", s -> s.status(status));
    }

    @Override
    public void storage(StorageStatus storage) {
        each("storage", s -> s.storage(storage));
    }
}
