package org.hematovision.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hematovision.capture.synthetic.SmearParams;
import org.hematovision.capture.synthetic.SyntheticSmear;
import org.hematovision.capture.synthetic.SyntheticSource;
import org.hematovision.capture.synthetic.SyntheticSourceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Camera failure paths without a camera: the messages a user sees for a missing or forbidden device,
 * and unplug/replug recovery of {@link ReconnectingSource} against a real FFmpeg device that comes and
 * goes (a video file at a path that is removed and put back; there is no V4L2 device in CI).
 */
class CameraSourceTest {

    @TempDir
    Path dir;

    @Test
    void missingCameraSaysPlugItIn() {
        Path device = dir.resolve("video7");
        try (FrameSource camera = FrameSources.open(new SourceSpec.V4l2(device), CaptureConfig.defaults())) {
            CaptureException e = assertThrows(CaptureException.class, camera::next);
            assertTrue(e.getMessage().contains("camera " + device + " not found"), e.getMessage());
            assertTrue(e.getMessage().contains("plugged in") && e.getMessage().contains("ls /dev/video*"), e.getMessage());
        } catch (CaptureException e) {
            throw new AssertionError("opening is lazy for cameras", e);
        }
    }

    @Test
    void unreadableDeviceSaysJoinGroupVideo() throws Exception {
        Path device = Files.createFile(dir.resolve("video3"));
        Files.setPosixFilePermissions(device, PosixFilePermissions.fromString("---------"));
        // root may open anything: then this message cannot occur, so the test does not apply.
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(device), "running as root: permissions not enforced");
        CaptureException e = assertThrows(CaptureException.class, () -> V4l2Source.open(device, CaptureConfig.defaults()));
        assertTrue(e.getMessage().contains("permission denied") && e.getMessage().contains("group video"), e.getMessage());
    }

    @Test
    void aPathThatIsNotACameraIsReportedAsSuchAndRetried() throws Exception {
        Path device = dir.resolve("video4");
        CaptureConfig fast = CaptureConfig.defaults().withBackoff(10, 40);
        try (ReconnectingSource camera = V4l2Source.reconnecting(device, fast)) {
            assertTrue(assertThrows(CaptureException.class, camera::next).getMessage().contains("not found"));
            // Something appears at the path, but it is no video device: FFmpeg's v4l2 input refuses it.
            Files.writeString(device, "not a camera");
            CaptureException e = assertThrows(CaptureException.class, camera::next);
            if (deviceSupportLoads()) {
                assertTrue(e.getMessage().contains("could not be started as a video device")
                        && e.getMessage().contains("v4l2-ctl --list-formats-ext"), e.getMessage());
                // both attempts are in the message: the default format, and MJPEG (the configured one) before it
                assertTrue(e.getMessage().contains("; with MJPEG before: "), e.getMessage());
            } else {
                assertTrue(e.getMessage().contains("install libpulse0"), e.getMessage());
            }
            assertTrue(e.getMessage().contains("retrying in"), e.getMessage());
            assertFalse(camera.isUp());
        }
    }

    @Test
    void sourceRecoversWhenTheDeviceComesBack() throws Exception {
        Path recording = dir.resolve("recording.avi");
        int perOpen = 8;
        try (SyntheticSource s = new SyntheticSource(new SyntheticSmear(SmearParams.defaults().withSize(160, 120)
                .withCounts(1, 15, 2)), SyntheticSourceConfig.live().withMaxFrames(perOpen), 3)) {
            SyntheticVideos.writeMjpeg(s, recording, 160, 120, 15);
        }
        Path device = dir.resolve("camera.avi");
        List<String> errors = new ArrayList<>();
        List<Long> indices = new ArrayList<>();
        try (ReconnectingSource camera = new ReconnectingSource(() -> VideoFileSource.open(device), "fake camera", 10, 40)) {
            // Unplugged at start: each call fails with the device's own message, and does not hang.
            for (int i = 0; i < 3; i++) {
                errors.add(assertThrows(CaptureException.class, camera::next).getMessage());
            }
            // Plugged in: frames flow. When the "device" stops (end of recording) it goes down.
            Files.copy(recording, device);
            drain(camera, indices, errors);
            // Unplugged while down: retries fail; plugged in again: resumes by itself, indices continue.
            Files.delete(device);
            errors.add(assertThrows(CaptureException.class, camera::next).getMessage());
            Files.copy(recording, device);
            drain(camera, indices, errors);
        }
        assertTrue(errors.get(0).contains("not found") && errors.get(0).contains("retrying in"), errors.get(0));
        assertTrue(errors.stream().anyMatch(m -> m.contains("stopped delivering frames")), errors.toString());
        assertEquals(2 * perOpen, indices.size(), "all frames of both connections delivered");
        for (int i = 0; i < indices.size(); i++) {
            assertEquals(i, indices.get(i), "indices run on across the reconnection");
        }
    }

    private static boolean deviceSupportLoads() {
        try {
            V4l2Source.requireDeviceSupport();
            return true;
        } catch (CaptureException e) {
            return false;
        }
    }

    /** Reads until the source fails once after having delivered frames. */
    private static void drain(ReconnectingSource camera, List<Long> indices, List<String> errors) {
        boolean delivered = false;
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                Optional<Frame> f = camera.next();
                indices.add(f.orElseThrow().index());
                delivered = true;
            } catch (CaptureException e) {
                errors.add(e.getMessage());
                if (delivered) {
                    return;
                }
            }
        }
        throw new AssertionError("the source never came back: " + errors);
    }
}
