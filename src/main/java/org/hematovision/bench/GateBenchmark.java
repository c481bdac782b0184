package org.hematovision.bench;

import java.util.concurrent.TimeUnit;
import org.hematovision.capture.Frame;
import org.hematovision.capture.synthetic.SmearParams;
import org.hematovision.capture.synthetic.SyntheticSmear;
import org.hematovision.field.GateConfig;
import org.hematovision.field.GateDecision;
import org.hematovision.field.LaplacianFieldGate;
import org.hematovision.image.BgrImage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the field gate per camera frame (it sees every frame, so it must stay far below the frame
 * period: 66 ms at 15 fps). Frames alternate between two noisy captures of the same still field, the
 * steady state while the slide rests.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GateBenchmark {

    @Param({"1280x720", "640x480"})
    public String size;

    private LaplacianFieldGate gate;
    private Frame[] frames;
    private long index;

    @Setup
    public void setUp() {
        String[] wh = size.split("x");
        int w = Integer.parseInt(wh[0]);
        int h = Integer.parseInt(wh[1]);
        SyntheticSmear smear = new SyntheticSmear(SmearParams.defaults().withSize(w, h)
                .withCounts(3, SmearParams.DEFAULT_RBC_COUNT * w * h / (640 * 480), 8));
        BgrImage slide = smear.renderSlide(1).image();
        frames = new Frame[] {
            new Frame(0, 0, smear.camera(slide, new java.util.Random(1))),
            new Frame(1, 1, smear.camera(slide, new java.util.Random(2)))
        };
        gate = new LaplacianFieldGate(GateConfig.defaults(), false);
    }

    @Benchmark
    public GateDecision offer() {
        return gate.offer(frames[(int) (index++ & 1)]);
    }
}
