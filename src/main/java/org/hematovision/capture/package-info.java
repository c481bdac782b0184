/**
 * Frame sources. {@code FrameSources.open(SourceSpec.parse(value), captureConfig)} turns a
 * {@code --source} value into a {@link org.hematovision.capture.FrameSource}:
 * {@code v4l2:/dev/videoN} (FFmpeg video4linux2, reconnecting with backoff, reads bounded by
 * {@code capture.readTimeoutMillis}), {@code video:FILE}, {@code images:DIR} (one field per file) or
 * {@code synthetic[:SEED]} (a virtual camera over a generated smear, see the {@code synthetic} package).
 * Frames carry heap pixels only; every grabber and Mat is closed inside the source.
 */
package org.hematovision.capture;
