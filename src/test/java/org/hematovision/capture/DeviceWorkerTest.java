package org.hematovision.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacv.FrameGrabber;
import org.junit.jupiter.api.Test;

/** The bounded wait for a camera read that hangs in the driver (no V4L2 device here: a task that blocks). */
class DeviceWorkerTest {

    @Test
    void aHangingReadTimesOutAndTheCloseWaitsForIt() throws Exception {
        DeviceWorker worker = new DeviceWorker("test-device");
        CountDownLatch driverReturns = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        CaptureException e = assertThrows(CaptureException.class, () -> worker.call(() -> {
            driverReturns.await(); // the stuck native grab
            return "late frame";
        }, 100, "v4l2:/dev/video0", "read"));
        assertTrue(e.getMessage().contains("read took longer than 100 ms (capture.readTimeoutMillis)"), e.getMessage());

        worker.closeAfterPending(closed::countDown);
        assertFalse(closed.await(200, TimeUnit.MILLISECONDS), "close must not run while the read is still in the driver");
        driverReturns.countDown();
        assertTrue(closed.await(5, TimeUnit.SECONDS), "close runs once the stuck read returns");
        worker.closeAfterPending(() -> { }); // idempotent
    }

    @Test
    void failuresCarryTheDriverMessage() throws Exception {
        DeviceWorker worker = new DeviceWorker("test-device");
        assertEquals(42, worker.call(() -> 42, 1000, "cam", "read"));
        CaptureException e = assertThrows(CaptureException.class, () -> worker.call(() -> {
            throw new FrameGrabber.Exception("ioctl(VIDIOC_DQBUF): No such device");
        }, 1000, "v4l2:/dev/video0", "read"));
        assertTrue(e.getMessage().contains("v4l2:/dev/video0: read failed: ioctl(VIDIOC_DQBUF): No such device"), e.getMessage());
        worker.closeAfterPending(() -> { });
    }
}
