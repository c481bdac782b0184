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
    void stuckCallsAreCountedUntilTheDriverReturnsAndBlockNewAttemptsAtTheLimit() throws Exception {
        StuckCalls stuck = new StuckCalls();
        CountDownLatch driverReturns = new CountDownLatch(1);
        DeviceWorker first = new DeviceWorker("cam-1", stuck);
        DeviceWorker second = new DeviceWorker("cam-2", stuck);
        assertEquals("fast", first.call(() -> "fast", 1000, "cam", "read"));
        assertEquals(0, stuck.count(), "a call that returned in time is not stuck");
        assertThrows(CaptureException.class, () -> first.call(() -> {
            driverReturns.await();
            return null;
        }, 50, "cam", "read"));
        assertEquals(1, stuck.count());
        stuck.checkRoom("cam"); // one stuck thread: a reconnection may still try
        assertThrows(CaptureException.class, () -> second.call(() -> {
            driverReturns.await();
            return null;
        }, 50, "cam", "open"));
        assertEquals(2, stuck.count());
        CaptureException refused = assertThrows(CaptureException.class, () -> stuck.checkRoom("v4l2:/dev/video0"));
        assertTrue(refused.getMessage().contains("has not returned from 2 calls: unplug and replug the camera"),
                refused.getMessage());

        driverReturns.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (stuck.count() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, stuck.count(), "returning calls give their place back");
        stuck.checkRoom("cam");
        first.closeAfterPending(() -> { });
        second.closeAfterPending(() -> { });
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
