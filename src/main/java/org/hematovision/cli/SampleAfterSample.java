package org.hematovision.cli;

import java.io.IOException;
import java.util.function.Consumer;
import org.hematovision.capture.CaptureException;
import org.hematovision.capture.FrameSource;
import org.hematovision.config.AppConfig;
import org.hematovision.pipeline.RunLimits;
import org.hematovision.sample.SampleControl;

/**
 * The console of a run that counts sample after sample at full speed ({@code bench}, {@code soak}): when
 * a sample finishes, the operator loads the next slide at once. Without it a finished sample leaves the
 * later fields idle (not analysed), and a field limit spanning several samples is never reached.
 */
final class SampleAfterSample implements Consumer<String> {

    private final Consumer<String> console;
    private SampleControl operator;
    private long samplesFinished;

    /** @param console receives every line first (e.g. to sample memory on field lines) */
    SampleAfterSample(Consumer<String> console) {
        this.console = console;
    }

    /** Starts the appliance with this console, wired to the appliance's own operator requests. */
    Appliance start(AppConfig config, FrameSource source, RunLimits limits) throws IOException, CaptureException {
        Appliance app = Appliance.start(config, source, limits, this);
        operator = app.operator();
        return app;
    }

    @Override
    public void accept(String line) {
        console.accept(line);
        // Lines come from the pipeline thread between fields; the request is taken before the next frame.
        if (line.startsWith("sample ") && line.contains(" finished")) {
            samplesFinished++;
            if (operator == null) {
                throw new IllegalStateException("a sample finished before the appliance was started");
            }
            operator.newSample();
        }
    }

    /** Samples that finished by themselves (target, field or time limit of the sample) so far. */
    long samplesFinished() {
        return samplesFinished;
    }
}
