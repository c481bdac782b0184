package org.hematovision.capture;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;
import org.tinylog.Logger;

/**
 * Frames of a recorded video ({@code video:FILE}), in order, stamped with their media time. Empty at
 * the end. A file that cannot be opened is a {@link CaptureException} naming it; a truncated or
 * corrupt stream ends early (FFmpeg skips undecodable packets) rather than failing the run.
 */
public final class VideoFileSource implements FrameSource {

    private final Path file;
    private FFmpegFrameGrabber grabber;
    private long index;
    private boolean ended;

    private VideoFileSource(Path file, FFmpegFrameGrabber grabber) {
        this.file = file;
        this.grabber = grabber;
    }

    public static VideoFileSource open(Path file) throws CaptureException {
        if (!Files.exists(file)) {
            throw new CaptureException("video file " + file + " not found: check the path given to --source video:FILE");
        }
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            throw new CaptureException("video file " + file + " is not a readable file: check its permissions");
        }
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile());
        g.setPixelFormat(AV_PIX_FMT_BGR24);
        try {
            g.start();
            if (g.getVideoStream() < 0 || g.getImageWidth() <= 0) {
                throw new CaptureException("video file " + file + " has no video stream: is it a video?");
            }
        } catch (FrameGrabber.Exception e) {
            closeQuietly(g);
            throw new CaptureException("cannot open video file " + file
                    + ": is it a complete video in a format FFmpeg reads (mp4, avi, mkv)? (" + e.getMessage() + ")", e);
        } catch (CaptureException e) {
            closeQuietly(g);
            throw e;
        }
        return new VideoFileSource(file, g);
    }

    @Override
    public Optional<Frame> next() throws CaptureException {
        if (grabber == null) {
            throw new CaptureException("video source " + file + " is closed");
        }
        if (ended) {
            return Optional.empty();
        }
        try {
            org.bytedeco.javacv.Frame f = grabber.grabImage();
            if (f == null || f.image == null) {
                ended = true;
                return Optional.empty();
            }
            long nanos = grabber.getTimestamp() * 1_000L;
            return Optional.of(new Frame(index++, nanos, GrabbedFrames.toBgr(f)));
        } catch (FrameGrabber.Exception | RuntimeException e) {
            // A damaged stream: end cleanly after what could be read, and say so.
            ended = true;
            Logger.warn("video file {} could not be decoded after frame {}: {}; treating it as the end",
                    file, index, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public String description() {
        return "video:" + file;
    }

    @Override
    public void close() {
        if (grabber != null) {
            closeQuietly(grabber);
            grabber = null;
        }
    }

    static void closeQuietly(FFmpegFrameGrabber g) {
        try {
            g.close();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            Logger.debug("closing FFmpeg grabber: {}", e.getMessage());
        }
    }
}
