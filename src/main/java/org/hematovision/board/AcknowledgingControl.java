package org.hematovision.board;

import java.util.List;
import java.util.Objects;
import org.hematovision.sample.SampleControl;

/**
 * The "finish/acknowledge" button's meaning: while an alert is held (banner on screen, red LED on)
 * a press acknowledges it; otherwise it finishes the sample. Wraps the pipeline's control so the
 * pipeline need not know what the board is holding.
 */
public final class AcknowledgingControl implements SampleControl {

    private final SampleControl delegate;
    private final List<Acknowledgeable> holders;

    public AcknowledgingControl(SampleControl delegate, List<? extends Acknowledgeable> holders) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.holders = List.copyOf(holders);
    }

    @Override
    public void newSample() {
        delegate.newSample();
    }

    @Override
    public void finishOrAcknowledge() {
        boolean acknowledged = false;
        for (Acknowledgeable h : holders) {
            // every holder is released by the one press (screen and LED together), hence no short-circuit
            acknowledged |= h.acknowledge();
        }
        if (!acknowledged) {
            delegate.finishOrAcknowledge();
        }
    }

    @Override
    public void shutdown() {
        delegate.shutdown();
    }
}
