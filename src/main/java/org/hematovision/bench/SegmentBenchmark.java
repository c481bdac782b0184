package org.hematovision.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hematovision.capture.synthetic.SmearParams;
import org.hematovision.capture.synthetic.SyntheticSmear;
import org.hematovision.eval.segmentation.BccdDataset;
import org.hematovision.image.BgrImage;
import org.hematovision.segment.ClassicalSegmenter;
import org.hematovision.segment.Segmentation;
import org.hematovision.segment.SegmenterConfig;
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

/**
 * Segmentation time per 640x480 field (target: median <= 3 ms; SampleTime mode reports the median as p0.50).
 * Runs over real BCCD fields when {@code ../shared/data/bccd} (or {@code -Dhematovision.shared=DIR}/data/bccd)
 * is present, otherwise over generated synthetic fields.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SegmentBenchmark {

    private static final int MAX_FIELDS = 64;

    private ClassicalSegmenter segmenter;
    private List<BgrImage> fields;
    private int index;

    @Setup
    public void setUp() throws IOException {
        segmenter = new ClassicalSegmenter(SegmenterConfig.defaults());
        String shared = System.getProperty("hematovision.shared", Path.of("..", "shared").toString());
        Path bccd = Path.of(shared).resolve("data").resolve("bccd");
        if (Files.isDirectory(bccd.resolve("Annotations"))) {
            fields = BccdDataset.load(bccd, "all").stream().limit(MAX_FIELDS).map(BccdDataset.FieldTruth::load).toList();
        } else {
            SyntheticSmear smear = new SyntheticSmear(SmearParams.defaults());
            fields = java.util.stream.LongStream.range(1, 9).mapToObj(s -> smear.generate(s).image()).toList();
        }
    }

    @Benchmark
    public Segmentation segment() {
        BgrImage f = fields.get(index);
        index = (index + 1) % fields.size();
        return segmenter.segment(f);
    }
}
