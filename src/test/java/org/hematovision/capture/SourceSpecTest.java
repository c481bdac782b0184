package org.hematovision.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.hematovision.config.ConfigException;
import org.junit.jupiter.api.Test;

class SourceSpecTest {

    @Test
    void parsesEveryForm() {
        assertEquals(new SourceSpec.V4l2(Path.of("/dev/video2")), SourceSpec.parse("v4l2:/dev/video2"));
        assertEquals(new SourceSpec.VideoFile(Path.of("runs/a.mp4")), SourceSpec.parse("video:runs/a.mp4"));
        assertEquals(new SourceSpec.ImageFolder(Path.of("/data/fields")), SourceSpec.parse(" images:/data/fields "));
        assertEquals(new SourceSpec.Synthetic(SourceSpec.DEFAULT_SYNTHETIC_SEED), SourceSpec.parse("synthetic"));
        assertEquals(new SourceSpec.Synthetic(-42), SourceSpec.parse("synthetic:-42"));
    }

    @Test
    void badValuesNameWhatIsAllowed() {
        for (String bad : new String[] {"", "camera", "usb:/dev/video0", "video:", "synthetic:abc"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> SourceSpec.parse(bad), bad);
            assertEquals("capture.source", e.key());
            assertTrue(e.getMessage().contains("v4l2:/dev/videoN") || e.getMessage().contains("whole number"), e.getMessage());
        }
    }

    @Test
    void captureConfigValidatesNamingTheKey() {
        CaptureConfig d = CaptureConfig.defaults();
        assertEquals(1280, d.width());
        assertEquals(CaptureConfig.PixelFormat.MJPEG, d.pixelFormat());
        ConfigException e = assertThrows(ConfigException.class, () -> d.withSize(0, 720));
        assertEquals("capture.width", e.key());
        e = assertThrows(ConfigException.class, () -> d.withBackoff(500, 100));
        assertEquals("capture.reconnectMaxBackoffMillis", e.key());
        // the watchdog (60 s) must outlast a read timeout plus a backoff wait
        e = assertThrows(ConfigException.class, () -> d.withBackoff(500, 120_000));
        assertEquals("capture.reconnectMaxBackoffMillis", e.key());
        assertEquals(20_000, d.withBackoff(500, 20_000).reconnectMaxBackoffMillis());
        e = assertThrows(ConfigException.class, () -> CaptureConfig.PixelFormat.parse("h264"));
        assertTrue(e.getMessage().contains("auto, mjpeg, yuyv"), e.getMessage());
        assertEquals(CaptureConfig.PixelFormat.YUYV, CaptureConfig.PixelFormat.parse("YUYV"));
    }
}
