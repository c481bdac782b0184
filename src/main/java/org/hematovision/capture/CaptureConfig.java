package org.hematovision.capture;

import java.util.Locale;
import org.hematovision.config.ConfigException;

/**
 * Camera settings (key prefix {@code capture.}). Width, height and frame rate are requests: the camera
 * may pick the nearest mode it has. Ignored by file and synthetic sources except where stated.
 *
 * @param width                   requested frame width in pixels
 * @param height                  requested frame height in pixels
 * @param fps                     requested frame rate
 * @param pixelFormat             camera pixel format; MJPEG gives full frame rates on USB 2 cameras
 * @param readTimeoutMillis       a camera read that takes longer counts as a failure (unplugged, stalled)
 * @param reconnectMinBackoffMillis first wait before reopening a failed camera
 * @param reconnectMaxBackoffMillis longest wait between reopen attempts (the wait doubles up to this)
 */
public record CaptureConfig(int width, int height, int fps, PixelFormat pixelFormat, long readTimeoutMillis,
                            long reconnectMinBackoffMillis, long reconnectMaxBackoffMillis) {

    public static final int DEFAULT_WIDTH = 1280;
    public static final int DEFAULT_HEIGHT = 720;
    public static final int DEFAULT_FPS = 15;
    public static final PixelFormat DEFAULT_PIXEL_FORMAT = PixelFormat.MJPEG;
    public static final long DEFAULT_READ_TIMEOUT_MILLIS = 2_000;
    /** Upper bound of the read timeout and of each backoff wait (see the constructor). */
    public static final long MAX_WAIT_MILLIS = 20_000;
    public static final long DEFAULT_RECONNECT_MIN_BACKOFF_MILLIS = 250;
    /** Two seconds: a returning camera is found within about 2.5 s (a reopen attempt costs almost nothing). */
    public static final long DEFAULT_RECONNECT_MAX_BACKOFF_MILLIS = 2_000;

    /** Camera pixel formats; {@code AUTO} lets the driver choose. */
    public enum PixelFormat {
        AUTO, MJPEG, YUYV;

        /** The value of FFmpeg's v4l2 {@code input_format} option, or null for AUTO. */
        public String ffmpegInputFormat() {
            return switch (this) {
                case AUTO -> null;
                case MJPEG -> "mjpeg";
                case YUYV -> "yuyv422";
            };
        }

        public static PixelFormat parse(String value) {
            String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "auto" -> AUTO;
                case "mjpeg" -> MJPEG;
                case "yuyv" -> YUYV;
                default -> throw new ConfigException("capture.pixelFormat",
                        "\"" + value + "\" is not a pixel format (allowed: auto, mjpeg, yuyv)");
            };
        }
    }

    public CaptureConfig {
        ConfigException.requireRange("capture.width", width, 16, 8192);
        ConfigException.requireRange("capture.height", height, 16, 8192);
        ConfigException.requireRange("capture.fps", fps, 1, 240);
        if (pixelFormat == null) {
            throw new ConfigException("capture.pixelFormat", "missing (allowed: auto, mjpeg, yuyv)");
        }
        // A turn of the run loop while the camera is missing lasts up to a read timeout plus a backoff wait;
        // both capped at 20 s, the watchdog pings (one per 10 s at most) keep well inside WatchdogSec=60.
        requireRange("capture.readTimeoutMillis", readTimeoutMillis, 50, MAX_WAIT_MILLIS);
        requireRange("capture.reconnectMinBackoffMillis", reconnectMinBackoffMillis, 10, MAX_WAIT_MILLIS);
        requireRange("capture.reconnectMaxBackoffMillis", reconnectMaxBackoffMillis, 10, MAX_WAIT_MILLIS);
        if (reconnectMaxBackoffMillis < reconnectMinBackoffMillis) {
            throw new ConfigException("capture.reconnectMaxBackoffMillis", reconnectMaxBackoffMillis
                    + " is below capture.reconnectMinBackoffMillis " + reconnectMinBackoffMillis
                    + " (allowed: at least the minimum)");
        }
    }

    public static CaptureConfig defaults() {
        return new CaptureConfig(DEFAULT_WIDTH, DEFAULT_HEIGHT, DEFAULT_FPS, DEFAULT_PIXEL_FORMAT,
                DEFAULT_READ_TIMEOUT_MILLIS, DEFAULT_RECONNECT_MIN_BACKOFF_MILLIS, DEFAULT_RECONNECT_MAX_BACKOFF_MILLIS);
    }

    public CaptureConfig withSize(int newWidth, int newHeight) {
        return new CaptureConfig(newWidth, newHeight, fps, pixelFormat, readTimeoutMillis,
                reconnectMinBackoffMillis, reconnectMaxBackoffMillis);
    }

    public CaptureConfig withBackoff(long minMillis, long maxMillis) {
        return new CaptureConfig(width, height, fps, pixelFormat, readTimeoutMillis, minMillis, maxMillis);
    }

    private static void requireRange(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ConfigException(key, value + " is out of range (allowed: " + min + ".." + max + ")");
        }
    }
}
