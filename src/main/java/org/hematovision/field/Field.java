package org.hematovision.field;

import org.hematovision.capture.Frame;

/**
 * A stable, sharp, well-exposed view of the slide, accepted by the {@link FieldGate} for analysis
 * exactly once.
 *
 * @param index   0-based number: the gate counts the fields it accepts in this run; the pipeline renumbers
 *                a field it counts into a sample by its place in that sample (see {@link #withIndex})
 * @param frame   the frame chosen to represent the field
 * @param quality the measurements that admitted it
 */
public record Field(long index, Frame frame, FieldQuality quality) {

    /** The same field under another number. */
    public Field withIndex(long newIndex) {
        return new Field(newIndex, frame, quality);
    }
}
