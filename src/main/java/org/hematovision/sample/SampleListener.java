package org.hematovision.sample;

import java.time.Instant;

/**
 * Receives what the sample learns, in order, on the pipeline thread: the sinks (display, MQTT,
 * record store) implement it. Implementations must return quickly and must not throw for an
 * outside-world failure (broker down, display unplugged): they log it once and keep going, so one
 * failing sink never stops counting.
 */
public interface SampleListener {

    default void sampleStarted(String sampleId, int targetCells) {
    }

    /**
     * The sample started at {@code started}: the time of the call for a new sample, the time counting really
     * began for one resumed after a restart. Sinks that keep the start time (the record store) override this;
     * a combining sink must forward both forms.
     */
    default void sampleStarted(String sampleId, int targetCells, Instant started) {
        sampleStarted(sampleId, targetCells);
    }

    /**
     * A sample resumed after a restart, right after {@link #sampleStarted}: its counts so far (the fields
     * replayed from the journal, which the sinks saw before the restart and are not sent again).
     */
    default void sampleResumed(DifferentialSnapshot differential) {
    }

    default void fieldAnalysed(FieldReport report, DifferentialSnapshot differential) {
    }

    default void alert(Alert alert) {
    }

    /** The sample closed: target reached, field limit, operator finish, or aborted/incomplete. */
    default void sampleFinished(DifferentialSnapshot differential, String reason) {
    }

    /**
     * The sample closed at {@code finished}: the time of the call for a live finish, the time it really
     * ended for one finished again after a restart. Sinks that keep or show the finish time (the record
     * store) override this; a combining sink must forward both forms.
     */
    default void sampleFinished(DifferentialSnapshot differential, String reason, Instant finished) {
        sampleFinished(differential, reason);
    }

    /** Device status changed (e.g. camera disconnected / reconnected, out of focus for long). */
    default void status(DeviceStatus status) {
    }

    /**
     * Storage changed: it started failing (full or read-only), the number of counted fields held in
     * memory changed, or every field is saved again ({@link StorageStatus#OK}).
     */
    default void storage(StorageStatus storage) {
    }
}
