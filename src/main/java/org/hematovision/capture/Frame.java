package org.hematovision.capture;

import org.hematovision.image.BgrImage;

/**
 * One image as it came from a {@link FrameSource}.
 *
 * @param index          0-based position in the source's stream
 * @param timestampNanos monotonic capture time ({@link System#nanoTime()} for live sources, media time for files)
 * @param image          the pixels
 */
public record Frame(long index, long timestampNanos, BgrImage image) {
}
