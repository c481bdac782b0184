package org.hematovision.field;

import org.hematovision.capture.Frame;

/**
 * A stable, sharp, well-exposed view of the slide, accepted by the {@link FieldGate} for analysis
 * exactly once.
 *
 * @param index   0-based count of accepted fields in this run
 * @param frame   the frame chosen to represent the field
 * @param quality the measurements that admitted it
 */
public record Field(long index, Frame frame, FieldQuality quality) {
}
