package org.hematovision.capture;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.bytedeco.ffmpeg.global.avdevice;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.hematovision.image.BgrImage;
import org.tinylog.Logger;

/**
 * One opened V4L2 camera via FFmpeg's {@code video4linux2} input. Not reconnecting by itself: wrap it
 * with {@link #reconnecting} (what {@link FrameSources} does) to survive unplugging.
 *
 * <p>FFmpeg's v4l2 input has no read timeout of its own (its {@code timeout} option applies to network
 * protocols), so open and grab run on a {@link DeviceWorker} and the caller waits at most
 * {@code capture.readTimeoutMillis}. After a timeout the grabber is abandoned, never closed from another
 * thread while a native call may still run: its close is queued behind the stuck call. While
 * {@link StuckCalls#LIMIT} such calls have not returned, reconnection stops opening the device (each
 * attempt would strand another thread in a wedged driver) and says to replug the camera.
 */
public final class V4l2Source implements FrameSource {

    private final Path device;
    private final CaptureConfig config;
    private final DeviceWorker worker;
    private final FFmpegFrameGrabber grabber;
    private final String description;
    private boolean closed;

    private V4l2Source(Path device, CaptureConfig config, DeviceWorker worker, FFmpegFrameGrabber grabber,
                       String description) {
        this.device = device;
        this.config = config;
        this.worker = worker;
        this.grabber = grabber;
        this.description = description;
    }

    /** A camera source that reopens the device with exponential backoff after it fails or goes away. */
    public static ReconnectingSource reconnecting(Path device, CaptureConfig config) {
        StuckCalls stuck = new StuckCalls();
        String description = describe(device, config, config.pixelFormat());
        return new ReconnectingSource(() -> {
            stuck.checkRoom(description);
            return open(device, config, stuck);
        }, description, config.reconnectMinBackoffMillis(), config.reconnectMaxBackoffMillis());
    }

    /** Opens the camera once; the message of a failure says what to check. */
    public static V4l2Source open(Path device, CaptureConfig config) throws CaptureException {
        return open(device, config, new StuckCalls());
    }

    private static V4l2Source open(Path device, CaptureConfig config, StuckCalls stuck) throws CaptureException {
        checkDevice(device);
        try {
            return start(device, config, config.pixelFormat(), stuck);
        } catch (CaptureException e) {
            if (config.pixelFormat() != CaptureConfig.PixelFormat.MJPEG || e.getMessage().contains("libavdevice")
                    || timedOut(e)) {
                throw e; // a hung driver is not a refused format: a second open would only hang beside it
            }
            // MJPEG is preferred where offered; a camera without it still works in its own format.
            Logger.warn("{} refused MJPEG ({}); trying the driver's default format", device, e.getMessage());
            try {
                return start(device, config, CaptureConfig.PixelFormat.AUTO, stuck);
            } catch (CaptureException again) {
                throw new CaptureException(again.getMessage() + "; with MJPEG before: " + e.getMessage(), again);
            }
        }
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    static void checkDevice(Path device) throws CaptureException {
        if (!Files.exists(device)) {
            throw new CaptureException("camera " + device + " not found: is the microscope camera plugged in? (ls /dev/video*)");
        }
        if (!Files.isReadable(device) || !Files.isWritable(device)) {
            throw new CaptureException("camera " + device + " exists but this user may not open it (permission denied): "
                    + "add the user to group video (sudo usermod -aG video $USER, then log in again)");
        }
    }

    /**
     * Loads FFmpeg's device library, which holds the v4l2 input. Its native build links PulseAudio, so on
     * a system without {@code libpulse0} it fails to load and no camera can be opened.
     */
    static void requireDeviceSupport() throws CaptureException {
        try {
            Loader.load(avdevice.class);
            avdevice.avdevice_register_all();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new CaptureException("FFmpeg's camera support (libavdevice) could not be loaded, so no V4L2 camera can be"
                    + " opened: install libpulse0 (sudo apt-get install libpulse0), which it needs (" + e.getMessage() + ")", e);
        }
    }

    private static V4l2Source start(Path device, CaptureConfig config, CaptureConfig.PixelFormat format,
                                    StuckCalls stuck) throws CaptureException {
        requireDeviceSupport();
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(device.toString());
        g.setFormat("video4linux2");
        g.setPixelFormat(AV_PIX_FMT_BGR24);
        g.setOption("video_size", config.width() + "x" + config.height());
        g.setOption("framerate", Integer.toString(config.fps()));
        String inputFormat = format.ffmpegInputFormat();
        if (inputFormat != null) {
            g.setOption("input_format", inputFormat);
        }
        DeviceWorker worker = new DeviceWorker("v4l2-" + device.getFileName(), stuck);
        String description = describe(device, config, format);
        try {
            worker.call(() -> {
                g.start();
                return null;
            }, config.readTimeoutMillis(), description, "open");
        } catch (CaptureException e) {
            worker.closeAfterPending(() -> VideoFileSource.closeQuietly(g));
            throw new CaptureException("camera " + device + " could not be started as a video device (" + e.getMessage()
                    + "): is it the camera's capture node, and does it support " + config.width() + "x" + config.height()
                    + (inputFormat != null ? " " + inputFormat : "") + "? (v4l2-ctl --list-formats-ext -d " + device + ")", e);
        }
        Logger.info("opened {} ({}x{} at {} fps)", description, g.getImageWidth(), g.getImageHeight(), g.getFrameRate());
        return new V4l2Source(device, config, worker, g, description);
    }

    private static String describe(Path device, CaptureConfig config, CaptureConfig.PixelFormat format) {
        return "v4l2:" + device + " " + config.width() + "x" + config.height() + " "
                + format.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public Optional<Frame> next() throws CaptureException {
        if (closed) {
            throw new CaptureException(description + " is closed");
        }
        BgrImage image = worker.call(() -> {
            org.bytedeco.javacv.Frame f = grabber.grabImage();
            // Copy on the worker: the JavaCV frame is reused by the next grab.
            return f == null || f.image == null ? null : GrabbedFrames.toBgr(f);
        }, config.readTimeoutMillis(), description, "read");
        if (image == null) {
            throw new CaptureException("camera " + device + " returned no frame: was it unplugged?");
        }
        return Optional.of(new Frame(0, System.nanoTime(), image));
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            worker.closeAfterPending(() -> VideoFileSource.closeQuietly(grabber));
        }
    }
}
