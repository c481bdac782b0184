package org.hematovision.bench;

import java.util.concurrent.TimeUnit;
import org.hematovision.capture.synthetic.SmearParams;
import org.hematovision.capture.synthetic.SyntheticField;
import org.hematovision.capture.synthetic.SyntheticSmear;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Time to generate one synthetic 640x480 field (target: hundreds per minute, i.e. well under 300 ms). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class CaptureSyntheticBenchmark {

    private SyntheticSmear smear;
    private long seed;

    @Setup
    public void setUp() {
        smear = new SyntheticSmear(SmearParams.defaults().withClassMix(SmearParams.UNIFORM_MIX));
    }

    @Benchmark
    public SyntheticField generateField() {
        return smear.generate(seed++);
    }
}
