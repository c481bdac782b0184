package org.hematovision.capture;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts driver calls of one camera that outlived their timeout and still occupy a thread. A wedged
 * driver can leave every open or read blocked for good; without a limit each reconnection attempt
 * would strand one more thread, every backoff period, for as long as the clinic leaves it so.
 */
public final class StuckCalls {

    /** Threads a camera may leave in the driver before reconnection attempts stop opening new ones. */
    public static final int LIMIT = 2;

    private final AtomicInteger stuck = new AtomicInteger();

    void entered() {
        stuck.incrementAndGet();
    }

    void left() {
        stuck.decrementAndGet();
    }

    public int count() {
        return stuck.get();
    }

    /** Refuses a new attempt while {@link #LIMIT} calls are still stuck; they free it by returning. */
    void checkRoom(String description) throws CaptureException {
        int n = stuck.get();
        if (n >= LIMIT) {
            throw new CaptureException(description + ": the camera driver has not returned from " + n
                    + " calls: unplug and replug the camera (if that does not help, restart the device);"
                    + " no new attempt is made until the driver answers");
        }
    }
}
