package org.hematovision.board;

import java.util.ArrayList;
import java.util.List;
import org.hematovision.sample.SampleControl;

/** Records what the buttons asked for, in order. */
final class RecordingControl implements SampleControl {
    final List<String> calls = new ArrayList<>();

    @Override
    public void newSample() {
        calls.add("new");
    }

    @Override
    public void finishOrAcknowledge() {
        calls.add("finish");
    }

    @Override
    public void shutdown() {
        calls.add("shutdown");
    }
}
