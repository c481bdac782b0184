package org.hematovision.field;

import java.util.Map;
import org.hematovision.capture.Frame;

/**
 * Decides, frame by frame, when the slide shows a new stable, sharp, well-exposed field.
 *
 * <p>Contract: for a sequence of frames showing one still field, {@link #offer} returns
 * {@link GateDecision.Analyse} at most once; after motion is seen, the next still field can be analysed
 * again. Every other frame yields {@link GateDecision.Skip} with its reason, and the reasons are counted.
 * Stateful and single-threaded: one gate per frame stream.
 */
public interface FieldGate {

    GateDecision offer(Frame frame);

    /** Skipped frames per reason since creation (a copy). */
    Map<SkipReason, Long> skipCounts();

    /**
     * The field just accepted was not counted: no sample was open. Its view is not remembered as analysed,
     * so it counts when the slide comes back to it during a sample; the still view itself stays analysed
     * until the slide moves (it may still be the previous slide when NEW SAMPLE is pressed).
     */
    default void fieldNotCounted() {
    }

    /**
     * A sample was resumed after a restart: the view under the objective may be the field counted last
     * before it, so it is treated as analysed until the slide moves. A lost field is preferred to a
     * field counted twice.
     */
    default void holdCurrentView() {
    }
}
