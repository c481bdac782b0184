package org.hematovision.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Pointer;
import org.hematovision.config.ConfigException;
import org.hematovision.image.BgrImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** The real TensorFlow runner on a small exported colour model. */
class TfCellClassifierTest {

    @TempDir
    static Path models;
    private static Path bundleDir;
    private static TfCellClassifier classifier;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws IOException {
        bundleDir = models.resolve("colour");
        ColourModel.writeBundle(bundleDir);
        classifier = TfCellClassifier.open(new InferenceConfig(bundleDir, "cpu", 1));
    }

    @AfterAll
    static void close() {
        if (classifier != null) {
            classifier.close();
        }
    }

    static BgrImage solid(int w, int h, int r, int g, int b) {
        byte[] px = new byte[w * h * 3];
        for (int i = 0; i < px.length; i += 3) {
            px[i] = (byte) b;
            px[i + 1] = (byte) g;
            px[i + 2] = (byte) r;
        }
        return new BgrImage(w, h, px);
    }

    static BgrImage noisy(Random rnd, int w, int h) {
        byte[] px = new byte[w * h * 3];
        rnd.nextBytes(px);
        return new BgrImage(w, h, px);
    }

    /** The colour model computed in plain Java from the preprocessed input: softmax(mean(x) W + b). */
    static float[] reference(float[] input, int offset, int pixels) {
        return reference(input, offset, pixels, 1.0);
    }

    /** softmax((mean(x) W + b) / temperature): what a bundle with that temperature must report. */
    static float[] reference(float[] input, int offset, int pixels, double temperature) {
        return reference(input, offset, pixels, temperature, new double[4]);
    }

    /** softmax((mean(x) W + b) / temperature + offsets): a bundle with a temperature and class offsets. */
    static float[] reference(float[] input, int offset, int pixels, double temperature, double[] offsets) {
        double[] pooled = new double[3];
        for (int i = 0; i < pixels; i++) {
            for (int c = 0; c < 3; c++) {
                pooled[c] += input[offset + i * 3 + c];
            }
        }
        double[] logits = new double[4];
        for (int k = 0; k < 4; k++) {
            double z = k == 3 ? ColourModel.GAIN / 2 : 0;
            for (int c = 0; c < 3 && k < 3; c++) {
                z += pooled[c] / pixels * (c == k ? ColourModel.GAIN : -ColourModel.GAIN / 2);
            }
            logits[k] = z / temperature + offsets[k];
        }
        double max = Math.max(Math.max(logits[0], logits[1]), Math.max(logits[2], logits[3]));
        double sum = 0;
        float[] p = new float[4];
        for (int k = 0; k < 4; k++) {
            sum += Math.exp(logits[k] - max);
        }
        for (int k = 0; k < 4; k++) {
            p[k] = (float) (Math.exp(logits[k] - max) / sum);
        }
        return p;
    }

    @Test
    void aFieldWithMoreCellsThanMaxBatchRunsInSeveralBatchesInOrder() {
        Random rnd = new Random(7);
        List<BgrImage> crops = new java.util.ArrayList<>();
        for (int i = 0; i < 11; i++) {
            crops.add(i % 3 == 0 ? solid(30 + i, 30, 230, 20, 20) : noisy(rnd, 24 + i, 28));
        }
        List<Prediction> whole = classifier.classify(crops);
        try (TfCellClassifier small = TfCellClassifier.open(new InferenceConfig(bundleDir, "cpu", 1, 4))) {
            List<Prediction> chunked = small.classify(crops);
            assertEquals(crops.size(), chunked.size());
            for (int i = 0; i < crops.size(); i++) {
                assertEquals(whole.get(i).label(), chunked.get(i).label(), "crop " + i);
                assertArrayEquals(whole.get(i).probabilities(), chunked.get(i).probabilities(), 1e-5f, "crop " + i);
            }
            assertEquals("red", chunked.get(9).label(), "crop 9 is the solid red one, in the third batch");
        }
    }

    @Test
    void colourDecidesTheClass() {
        List<Prediction> p = classifier.classify(List.of(
                solid(40, 36, 230, 20, 20), solid(32, 32, 20, 20, 230), solid(50, 50, 20, 230, 20), solid(32, 32, 128, 128, 128)));
        assertEquals(List.of("red", "blue", "green", "grey"), p.stream().map(Prediction::label).toList());
        assertTrue(p.get(0).probability() > 0.95f, p.get(0).toString());
        assertFalse(p.get(0).abnormal());
        assertTrue(p.get(1).abnormal(), "blue is the fixture's abnormal label");
        assertFalse(p.get(3).review());
        for (Prediction q : p) {
            double sum = 0;
            for (float v : q.probabilities()) {
                sum += v;
            }
            assertEquals(1.0, sum, 1e-5);
            assertEquals(4, q.probabilities().length);
        }
    }

    @Test
    void outputsMatchAJavaComputationOfTheSameNetworkInBatchOrder() {
        Random rnd = new Random(7);
        List<BgrImage> crops = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            // random sizes exercise both shrinking and enlarging; a random tint moves the class around
            BgrImage base = noisy(rnd, 20 + rnd.nextInt(60), 20 + rnd.nextInt(60));
            byte[] px = base.pixels().clone();
            int tint = rnd.nextInt(3);
            for (int j = tint; j < px.length; j += 3) {
                px[j] = (byte) Math.min(255, (px[j] & 0xff) + 120);
            }
            crops.add(new BgrImage(base.width(), base.height(), px));
        }
        CellPreprocessor pre = new CellPreprocessor(classifier.metadata());
        float[] input = pre.batch(crops);
        List<Prediction> got = classifier.classify(crops);
        assertEquals(crops.size(), got.size());
        for (int i = 0; i < crops.size(); i++) {
            float[] want = reference(input, i * pre.imageSize(), pre.width() * pre.height());
            assertArrayEquals(want, got.get(i).probabilities(), 1e-4f, "crop " + i);
            // each crop alone gives the same answer as inside the batch
            assertArrayEquals(got.get(i).probabilities(), classifier.classify(List.of(crops.get(i))).get(0).probabilities(), 1e-5f);
        }
    }

    @Test
    void aBundleTemperatureGivesTheSoftmaxOfTheScaledLogits() throws IOException {
        List<BgrImage> crops = List.of(solid(32, 32, 230, 20, 20), noisy(new Random(3), 40, 30), solid(32, 32, 20, 20, 230));
        List<Prediction> got = classifyMatchingReference("warm", crops, 2.5, new double[4]);
        // pure red is near-certain at T = 1 and no longer at T = 2.5
        assertTrue(classifier.classify(crops).get(0).probability() > 0.95f);
        assertTrue(got.get(0).probability() < 0.9f, got.get(0).toString());
    }

    @Test
    void bundleClassOffsetsReachTheClassifiersOutput() throws IOException {
        List<BgrImage> crops = List.of(solid(32, 32, 230, 20, 20), noisy(new Random(4), 40, 30), solid(32, 32, 128, 128, 128));
        List<Prediction> got = classifyMatchingReference("offsets", crops, 1.5, new double[] {-1.0, 0.5, 0.0, 2.0});
        // the offsets change the answer, not only the numbers: grey gains over the others
        assertTrue(got.get(2).probabilities()[3] > classifier.classify(crops).get(2).probabilities()[3]);
    }

    /**
     * Writes the colour model with this temperature and these class offsets, classifies the crops
     * through it and checks every row against {@link #reference}; returns the predictions.
     */
    private List<Prediction> classifyMatchingReference(String name, List<BgrImage> crops, double temperature,
                                                       double[] offsets) throws IOException {
        Path dir = tmp.resolve(name);
        ColourModel.exportSavedModel(dir);
        ModelBundleWriter.write(dir, ColourModel.metadata().temperature(temperature).classBias(offsets).build());
        CellPreprocessor pre = new CellPreprocessor(classifier.metadata());
        float[] input = pre.batch(crops);
        try (TfCellClassifier calibrated = TfCellClassifier.open(new InferenceConfig(dir, "cpu", 1))) {
            List<Prediction> got = calibrated.classify(crops);
            for (int i = 0; i < crops.size(); i++) {
                float[] want = reference(input, i * pre.imageSize(), pre.width() * pre.height(), temperature, offsets);
                assertArrayEquals(want, got.get(i).probabilities(), 1e-4f, "crop " + i);
            }
            return got;
        }
    }

    @Test
    void anAmbiguousCellGoesToReview() {
        // left half red, right half blue: red, blue and grey tie at 1/3 each, below minProbability 0.6
        BgrImage red = solid(32, 32, 255, 0, 0);
        byte[] px = red.pixels().clone();
        for (int y = 0; y < 32; y++) {
            for (int x = 16; x < 32; x++) {
                int o = (y * 32 + x) * 3;
                px[o] = (byte) 255;
                px[o + 2] = 0;
            }
        }
        Prediction p = classifier.classify(List.of(new BgrImage(32, 32, px))).get(0);
        assertTrue(p.review(), p.toString());
        assertEquals(Prediction.REVIEW, p.label());
        assertTrue(p.probability() < 0.6f);
        assertFalse(p.abnormal());
    }

    @Test
    void emptyListGivesEmptyList() {
        assertEquals(List.of(), classifier.classify(List.of()));
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseFails() throws IOException {
        TfCellClassifier c = TfCellClassifier.open(new InferenceConfig(bundleDir, "auto", 0));
        assertEquals("red", c.classify(List.of(solid(8, 8, 255, 0, 0))).get(0).label());
        c.close();
        assertDoesNotThrow(c::close);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.classify(List.of(solid(8, 8, 255, 0, 0))));
        assertEquals("classifier is closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> c.classify(List.of()));
    }

    @Test
    void concurrentCallersGetTheSameAnswersAsOne() throws Exception {
        Random rnd = new Random(11);
        List<List<BgrImage>> fields = new ArrayList<>();
        List<List<Prediction>> sequential = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            List<BgrImage> field = List.of(noisy(rnd, 30, 30), noisy(rnd, 40, 35));
            fields.add(field);
            sequential.add(classifier.classify(field));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Prediction>>> futures = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (List<BgrImage> field : fields) {
                    futures.add(pool.submit(() -> classifier.classify(field)));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertEquals(sequential.get(i % fields.size()), futures.get(i).get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closingWhileOthersClassifyFailsThemCleanly() throws Exception {
        TfCellClassifier c = TfCellClassifier.open(new InferenceConfig(bundleDir, "cpu", 1));
        List<BgrImage> field = List.of(solid(32, 32, 255, 0, 0));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        CountDownLatch running = new CountDownLatch(3);
        try {
            List<Future<Integer>> workers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                workers.add(pool.submit(() -> {
                    int calls = 0;
                    running.countDown();
                    try {
                        while (true) {
                            assertEquals("red", c.classify(field).get(0).label());
                            calls++;
                        }
                    } catch (IllegalStateException closed) {
                        assertEquals("classifier is closed", closed.getMessage());
                        return calls;
                    }
                }));
            }
            assertTrue(running.await(30, TimeUnit.SECONDS));
            c.close();
            for (Future<Integer> w : workers) {
                w.get(30, TimeUnit.SECONDS); // ends with "closed", never a native crash or another error
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void gpuRequiredWithoutAGpuFailsClearly() {
        Assumptions.assumeFalse(SavedModelRunner.gpuAvailable(), "SKIPPED: this machine has a GPU");
        ConfigException e = assertThrows(ConfigException.class,
                () -> TfCellClassifier.open(new InferenceConfig(bundleDir, "gpu", 0)));
        assertEquals("inference.device", e.key());
        assertTrue(e.getMessage().startsWith("inference.device: gpu requested but TensorFlow finds no CUDA GPU"), e.getMessage());
        assertTrue(e.getMessage().contains("linux-x86_64-gpu"));
    }

    @Test
    void aSavedModelTensorFlowCannotLoadIsNamed() throws IOException {
        Path dir = tmp.resolve("garbage");
        ColourModel.exportSavedModel(dir);
        Files.write(dir.resolve("saved_model/saved_model.pb"), "not a protobuf".getBytes());
        ModelBundleWriter.write(dir, ColourModel.metadata().build()); // checksums now match the garbage
        ModelBundleException e = assertThrows(ModelBundleException.class,
                () -> TfCellClassifier.open(new InferenceConfig(dir, "cpu", 0)));
        assertTrue(e.getMessage().startsWith(dir.resolve("saved_model") + ": TensorFlow cannot load the SavedModel"), e.getMessage());
    }

    @Test
    void aModelWithMoreOutputsThanLabelsIsRefused() throws IOException {
        Path dir = tmp.resolve("five");
        ColourModel.exportSavedModel(dir, Shape.of(-1, 32, 32, 3), 5);
        ModelBundleWriter.write(dir, ColourModel.metadata().build());
        ModelBundleException e = assertThrows(ModelBundleException.class,
                () -> TfCellClassifier.open(new InferenceConfig(dir, "cpu", 0)));
        assertEquals(dir.resolve("saved_model") + ": tensor 'probabilities' has shape [-1, 5] but model.json implies [N, 4]", e.getMessage());
    }

    @Test
    void aModelWithAnotherInputSizeIsRefused() throws IOException {
        Path dir = tmp.resolve("size");
        ColourModel.exportSavedModel(dir, Shape.of(-1, 64, 64, 3), 4);
        ModelBundleWriter.write(dir, ColourModel.metadata().build());
        ModelBundleException e = assertThrows(ModelBundleException.class,
                () -> TfCellClassifier.open(new InferenceConfig(dir, "cpu", 0)));
        assertEquals(dir.resolve("saved_model") + ": tensor 'image' has shape [-1, 64, 64, 3] but model.json implies [N, 32, 32, 3]", e.getMessage());
    }

    /**
     * JavaCPP counts live native pointers with a deallocator, which includes every TF tensor; the
     * control part shows that a leaked tensor does move the counter, so the flat result means something.
     */
    @Test
    void twoHundredBatchesLeakNoTensors() {
        Random rnd = new Random(3);
        List<BgrImage> crops = List.of(noisy(rnd, 40, 40), noisy(rnd, 30, 30), noisy(rnd, 32, 32), noisy(rnd, 50, 20));
        classifier.classify(crops); // warm up lazily created native state
        long before = Pointer.totalCount();
        for (int i = 0; i < 200; i++) {
            assertEquals(4, classifier.classify(crops).size());
        }
        long after = Pointer.totalCount();
        assertTrue(after - before < 20, "native pointers grew by " + (after - before) + " over 200 batches");

        List<TFloat32> leaked = new ArrayList<>();
        try {
            long base = Pointer.totalCount();
            for (int i = 0; i < 50; i++) {
                leaked.add(TFloat32.tensorOf(Shape.of(4, 32, 32, 3)));
            }
            assertTrue(Pointer.totalCount() - base >= 50, "the counter must see leaked tensors");
        } finally {
            leaked.forEach(TFloat32::close);
        }
    }
}
