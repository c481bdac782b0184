package org.hematovision.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.hematovision.classify.CellPreprocessor;
import org.hematovision.classify.InferenceConfig;
import org.hematovision.classify.ModelBundle;
import org.hematovision.classify.Prediction;
import org.hematovision.classify.TfCellClassifier;
import org.hematovision.image.BgrImage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latency per white cell of the real classifier (preprocessing + TensorFlow + decoding) at batch
 * 1, 4 and 16: one operation is one cell, so the scores compare directly across batch sizes.
 * {@code preprocess16} isolates the Java/OpenCV part of the batch-16 cost.
 *
 * <p>The bundle is {@code -p model=DIR}, else system property {@code hematovision.model} (seen only
 * by the JVM that runs the benchmark, i.e. with {@code -f 0}), else environment variable
 * {@code HEMATOVISION_MODEL}, else {@code models/wbc-mobilenetv2} relative to the working directory. When it is absent the benchmark fails at setup with a
 * "SKIPPED: ..." message rather than producing numbers for nothing. Crops are 360x363 like PBC
 * cells (fixed-seed noise: a CNN's cost does not depend on the pixels).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ClassifierBenchmark {

    public static final String MODEL_PROPERTY = "hematovision.model";
    public static final String MODEL_ENV = "HEMATOVISION_MODEL";
    static final int CROP_WIDTH = 360;
    static final int CROP_HEIGHT = 363;

    /** Bundle directory; empty means the system property or the default bundle. */
    @Param({""})
    public String model;

    @Param({"cpu"})
    public String device;

    /** TensorFlow threads; 0 lets TensorFlow choose. */
    @Param({"0"})
    public int threads;

    private TfCellClassifier classifier;
    private CellPreprocessor preprocessor;
    private List<BgrImage> crops1;
    private List<BgrImage> crops4;
    private List<BgrImage> crops16;

    @Setup(Level.Trial)
    public void setUp() {
        Path dir = Path.of(modelDir());
        if (!Files.isRegularFile(dir.resolve(ModelBundle.MODEL_JSON))) {
            throw new IllegalStateException("SKIPPED: no model bundle at " + dir.toAbsolutePath()
                    + " (pass -p model=DIR or set " + MODEL_ENV + "=DIR)");
        }
        classifier = TfCellClassifier.open(new InferenceConfig(dir, device, threads));
        preprocessor = new CellPreprocessor(classifier.metadata());
        Random rnd = new Random(42);
        List<BgrImage> crops = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            byte[] px = new byte[CROP_WIDTH * CROP_HEIGHT * 3];
            rnd.nextBytes(px);
            crops.add(new BgrImage(CROP_WIDTH, CROP_HEIGHT, px));
        }
        crops1 = List.copyOf(crops.subList(0, 1));
        crops4 = List.copyOf(crops.subList(0, 4));
        crops16 = List.copyOf(crops);
    }

    /** {@code -p model} reaches forked JVMs; a -D property does not, so the environment is the fallback. */
    private String modelDir() {
        if (!model.isEmpty()) {
            return model;
        }
        String prop = System.getProperty(MODEL_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return prop;
        }
        String env = System.getenv(MODEL_ENV);
        return env != null && !env.isBlank() ? env : InferenceConfig.DEFAULT_MODEL.toString();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (classifier != null) {
            classifier.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(1)
    public List<Prediction> batch1() {
        return classifier.classify(crops1);
    }

    @Benchmark
    @OperationsPerInvocation(4)
    public List<Prediction> batch4() {
        return classifier.classify(crops4);
    }

    @Benchmark
    @OperationsPerInvocation(16)
    public List<Prediction> batch16() {
        return classifier.classify(crops16);
    }

    @Benchmark
    @OperationsPerInvocation(16)
    public float[] preprocess16() {
        return preprocessor.batch(crops16);
    }
}
