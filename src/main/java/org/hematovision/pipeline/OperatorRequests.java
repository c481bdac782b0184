package org.hematovision.pipeline;

import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hematovision.sample.SampleControl;

/**
 * Operator requests from any thread (buttons, MQTT command, Ctrl-C), queued for the pipeline thread.
 * Created before the sinks and the run loop so that both sides can be wired without a cycle.
 */
public final class OperatorRequests implements SampleControl {

    /** What the operator asked for. */
    public enum Request { NEW_SAMPLE, FINISH, SHUTDOWN }

    private final ConcurrentLinkedQueue<Request> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean shutdown = new AtomicBoolean();

    @Override
    public void newSample() {
        queue.add(Request.NEW_SAMPLE);
    }

    @Override
    public void finishOrAcknowledge() {
        queue.add(Request.FINISH);
    }

    @Override
    public void shutdown() {
        shutdown.set(true);
        queue.add(Request.SHUTDOWN);
    }

    /** The oldest pending request, if any. */
    public Optional<Request> poll() {
        return Optional.ofNullable(queue.poll());
    }

    public boolean shutdownRequested() {
        return shutdown.get();
    }
}
