package org.hematovision.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hematovision.capture.CaptureException;
import org.hematovision.capture.Frame;
import org.hematovision.capture.FrameSource;
import org.hematovision.image.BgrImage;
import org.hematovision.sample.SampleConfig;
import org.hematovision.sample.SampleJournal;
import org.hematovision.sample.SampleManager;
import org.hematovision.segment.ScaleTracker;
import org.hematovision.segment.SegmenterConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The heartbeat the systemd watchdog listens to: it keeps beating while the camera is missing (the
 * loop is alive and retrying) and stops while the loop is wedged in a read.
 */
class RunLoopWatchdogTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);

    /** 4 frames, then 3 failed reads (camera gone), then a read that hangs until released, then the end. */
    static final class WedgingSource implements FrameSource {
        final CountDownLatch hung = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        int reads;

        @Override
        public Optional<Frame> next() throws CaptureException {
            int n = reads++;
            if (n < 4) {
                return Optional.of(new Frame(n, 0, new BgrImage(32, 32, new byte[32 * 32 * 3])));
            }
            if (n < 7) {
                throw new CaptureException("camera /dev/video9 not found");
            }
            hung.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        }

        @Override
        public String description() {
            return "wedging";
        }

        @Override
        public void close() {
        }
    }

    @TempDir
    Path journalDir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void beatsWhileTheCameraIsMissingAndStopsWhileAReadHangs() throws Exception {
        WedgingSource src = new WedgingSource();
        AtomicInteger beats = new AtomicInteger();
        RunLoopTest.Recorder rec = new RunLoopTest.Recorder();
        SampleManager samples = new SampleManager(new SampleConfig(1000, 0, 0, true), new SampleJournal(journalDir),
                List.of("lymphocyte", "neutrophil", "ig", "platelet"), Set.of("platelet"), rec, CLOCK);
        Pipeline p = new Pipeline(src, new RunLoopTest.AlternateGate(), RunLoopTest::twoCells,
                new RunLoopTest.FixedClassifier(), CLOCK, ScaleTracker.of(SegmenterConfig.defaults()));
        RunLoop loop = new RunLoop(p, samples, new OperatorRequests(), rec, RunLimits.NONE, l -> { },
                beats::incrementAndGet);
        RunLoop.Summary[] summary = new RunLoop.Summary[1];
        Thread t = new Thread(() -> summary[0] = loop.run(), "wedged-loop");
        t.start();
        assertTrue(src.hung.await(30, TimeUnit.SECONDS), "the source never reached the hanging read");
        // 4 frames and 3 handled camera failures each completed a turn of the loop.
        assertEquals(7, beats.get());
        long before = beats.get();
        // No turn completes while the read hangs: nothing may beat, however long we watch.
        t.join(1_000);
        assertTrue(t.isAlive());
        assertEquals(before, beats.get(), "heartbeat while the loop is wedged in a read");
        src.release.countDown();
        t.join(TimeUnit.SECONDS.toMillis(20));
        assertEquals("end of source", summary[0].endReason());
    }
}
