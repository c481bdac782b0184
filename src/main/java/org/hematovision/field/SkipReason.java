package org.hematovision.field;

/** Why the gate did not analyse a frame; each is counted and reported. */
public enum SkipReason {
    /** The slide is moving (frame differs from the previous one). */
    MOVING,
    /** Still, but not yet still for long enough to trust. */
    SETTLING,
    /** This still field was already analysed; waiting for the slide to move. */
    ALREADY_ANALYSED,
    /** Out of focus. */
    BLURRED,
    /** Too dark (lamp off, shutter closed). */
    DARK,
    /** Too many clipped pixels (overexposed). */
    SATURATED
}
