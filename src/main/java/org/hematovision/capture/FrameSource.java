package org.hematovision.capture;

import java.util.Optional;

/**
 * Where frames come from: a V4L2 camera, a recorded video, a folder of images or the synthetic smear.
 *
 * <p>Contract: {@link #next()} returns the next frame, or empty when a finite source (video, folder)
 * is exhausted; live sources never return empty. A {@link CaptureException} means this read failed
 * (device gone, decode error); the caller may call {@link #next()} again later, and a source that can
 * recover (camera re-plugged) reopens itself on that call. Frames carry plain Java pixels, so no
 * native memory outlives the call. {@link #close()} is idempotent and releases the device.
 */
public interface FrameSource extends AutoCloseable {

    Optional<Frame> next() throws CaptureException;

    /**
     * True when every frame is a separate field (a folder of still images): the gate then checks only
     * focus and exposure, not motion. False for cameras and videos of a moving slide.
     */
    default boolean framesAreFields() {
        return false;
    }

    /** Human-readable name for logs and status, e.g. {@code v4l2:/dev/video0 1280x720 mjpeg}. */
    String description();

    @Override
    void close();
}
