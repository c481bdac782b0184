package org.hematovision.sample;

import java.util.ArrayList;
import java.util.List;

/** A listener that remembers what it was told (test fake). */
public final class RecordingSink implements SampleListener {

    public final List<String> started = new ArrayList<>();
    public final List<DifferentialSnapshot> finished = new ArrayList<>();
    public final List<String> reasons = new ArrayList<>();
    public final List<Alert> alerts = new ArrayList<>();
    public final List<DifferentialSnapshot> resumed = new ArrayList<>();
    public int fields;

    @Override
    public void sampleStarted(String sampleId, int targetCells) {
        started.add(sampleId);
    }

    @Override
    public void sampleResumed(DifferentialSnapshot differential) {
        resumed.add(differential);
    }

    @Override
    public void fieldAnalysed(FieldReport report, DifferentialSnapshot differential) {
        fields++;
    }

    @Override
    public void alert(Alert alert) {
        alerts.add(alert);
    }

    @Override
    public void sampleFinished(DifferentialSnapshot differential, String reason) {
        finished.add(differential);
        reasons.add(reason);
    }
}
