package org.hematovision.classify;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.hematovision.config.ConfigException;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.types.TFloat32;

/**
 * Owns the native SavedModel session and runs float batches through its {@code serving_default}
 * signature. Only Java arrays go in and out; every tensor lives within one {@link #run} call.
 *
 * <p>{@link #close()} is idempotent; {@link #run} after close throws {@link IllegalStateException}.
 * Runs may be concurrent (TensorFlow sessions are thread-safe); close waits for running calls.
 */
final class SavedModelRunner implements AutoCloseable {

    private final SavedModelBundle model;
    private final String inputName;
    private final String outputName;
    private final int classes;
    private final boolean onGpu;
    private final AtomicBoolean closed = new AtomicBoolean();
    // Read lock per run, write lock to close: the session is never freed under a running call.
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    private SavedModelRunner(SavedModelBundle model, String inputName, String outputName, int classes, boolean onGpu) {
        this.model = model;
        this.inputName = inputName;
        this.outputName = outputName;
        this.classes = classes;
        this.onGpu = onGpu;
    }

    /**
     * Loads {@code bundle}'s SavedModel on the configured device and checks its signature against
     * the metadata.
     *
     * @throws ModelBundleException when TensorFlow cannot load it or the signature does not match
     * @throws ConfigException      when {@code gpu} is required but TensorFlow finds no GPU
     */
    static SavedModelRunner load(ModelBundle bundle, InferenceConfig config) {
        boolean gpu = switch (config.deviceKind()) {
            case CPU -> false;
            case AUTO -> gpuAvailable();
            case GPU -> {
                if (!gpuAvailable()) {
                    throw new ConfigException(InferenceConfig.KEY_DEVICE, "gpu requested but TensorFlow finds no CUDA GPU:"
                            + " it needs the tensorflow-core-native 'linux-x86_64-gpu' build (mvn -Pgpu), an NVIDIA driver"
                            + " and CUDA (allowed: auto, cpu, gpu; auto falls back to the CPU)");
                }
                yield true;
            }
        };
        ConfigProto.Builder proto = ConfigProto.newBuilder();
        if (gpu) {
            // Jetson GPUs share RAM with the CPU: take GPU memory as needed, not all of it up front.
            proto.setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true));
        } else {
            proto.putDeviceCount("GPU", 0);
        }
        if (config.threads() > 0) {
            proto.setIntraOpParallelismThreads(config.threads()).setInterOpParallelismThreads(config.threads());
        }
        Path dir = bundle.savedModelDir();
        SavedModelBundle model;
        try {
            model = SavedModelBundle.loader(dir.toString()).withTags(ModelBundle.TAG).withConfigProto(proto.build()).load();
        } catch (RuntimeException e) {
            throw new ModelBundleException(dir, "TensorFlow cannot load the SavedModel (" + e.getMessage()
                    + "): the bundle is damaged or was exported for another TensorFlow version", e);
        }
        try {
            return checkSignature(model, bundle, gpu);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static SavedModelRunner checkSignature(SavedModelBundle model, ModelBundle bundle, boolean gpu) {
        Path dir = bundle.savedModelDir();
        ModelMetadata m = bundle.metadata();
        List<Signature> signatures = model.signatures();
        Signature sig = signatures.stream().filter(s -> s.key().equals(ModelBundle.SIGNATURE)).findFirst()
                .orElseThrow(() -> new ModelBundleException(dir, "has no signature '" + ModelBundle.SIGNATURE + "' (found: "
                        + signatures.stream().map(Signature::key).toList() + ")"));
        Signature.TensorDescription in = sig.getInputs().get(ModelBundle.INPUT);
        Signature.TensorDescription out = sig.getOutputs().get(ModelBundle.OUTPUT);
        if (in == null || out == null) {
            throw new ModelBundleException(dir, "signature '" + ModelBundle.SIGNATURE + "' must have input '" + ModelBundle.INPUT
                    + "' and output '" + ModelBundle.OUTPUT + "' (found inputs " + sig.inputNames() + ", outputs " + sig.outputNames() + ")");
        }
        if (in.dataType != DataType.DT_FLOAT || out.dataType != DataType.DT_FLOAT) {
            throw new ModelBundleException(dir, "input '" + ModelBundle.INPUT + "' and output '" + ModelBundle.OUTPUT
                    + "' must be float32 (found " + in.dataType + ", " + out.dataType + ")");
        }
        long[] expectIn = {Shape.UNKNOWN_SIZE, m.inputHeight(), m.inputWidth(), 3};
        checkShape(dir, ModelBundle.INPUT, in.shape, expectIn);
        checkShape(dir, ModelBundle.OUTPUT, out.shape, new long[] {Shape.UNKNOWN_SIZE, m.labels().size()});
        return new SavedModelRunner(model, in.name, out.name, m.labels().size(), gpu);
    }

    /** Dimensions the SavedModel leaves unknown (-1) are accepted; known ones must match the metadata. */
    private static void checkShape(Path dir, String name, Shape actual, long[] expected) {
        if (actual == null || actual.isUnknown()) {
            return;
        }
        boolean ok = actual.numDimensions() == expected.length;
        for (int i = 0; ok && i < expected.length; i++) {
            long a = actual.get(i);
            ok = a == Shape.UNKNOWN_SIZE || expected[i] == Shape.UNKNOWN_SIZE || a == expected[i];
        }
        if (!ok) {
            StringBuilder want = new StringBuilder("[");
            for (int i = 0; i < expected.length; i++) {
                want.append(i > 0 ? ", " : "").append(expected[i] == Shape.UNKNOWN_SIZE ? "N" : String.valueOf(expected[i]));
            }
            throw new ModelBundleException(dir, "tensor '" + name + "' has shape " + actual + " but model.json implies "
                    + want + "]");
        }
    }

    /**
     * Runs one batch.
     *
     * @param batch  {@code n*h*w*3} floats, NHWC
     * @return {@code n} rows of {@code classes} probabilities
     */
    float[][] run(float[] batch, int n, int height, int width) {
        if (batch.length != (long) n * height * width * 3) {
            throw new IllegalArgumentException("batch holds " + batch.length + " floats, expected " + n + "x" + height + "x" + width + "x3");
        }
        lock.readLock().lock();
        try {
            if (closed.get()) {
                throw new IllegalStateException("classifier is closed");
            }
            float[] flat = new float[n * classes];
            try (TFloat32 input = TFloat32.tensorOf(Shape.of(n, height, width, 3), DataBuffers.of(batch, true, false));
                 Result result = model.session().runner().feed(inputName, input).fetch(outputName).run()) {
                Tensor t = result.get(0);
                if (!(t instanceof TFloat32 probs)) {
                    throw new IllegalStateException("model output '" + ModelBundle.OUTPUT + "' is " + t.dataType() + ", expected float32");
                }
                if (!probs.shape().equals(Shape.of(n, classes))) {
                    throw new IllegalStateException("model output '" + ModelBundle.OUTPUT + "' has shape " + probs.shape()
                            + ", expected [" + n + ", " + classes + "]");
                }
                probs.copyTo(DataBuffers.of(flat, false, false));
            }
            float[][] rows = new float[n][];
            for (int i = 0; i < n; i++) {
                rows[i] = java.util.Arrays.copyOfRange(flat, i * classes, (i + 1) * classes);
            }
            return rows;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Throws when closed, so callers fail loudly before doing any work. */
    void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("classifier is closed");
        }
    }

    boolean onGpu() {
        return onGpu;
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed.compareAndSet(false, true)) {
                model.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * True when TensorFlow can place an op on a GPU: pins a constant to {@code /device:GPU:0} with
     * soft placement off, which fails on CPU-only builds and machines without a CUDA device.
     */
    static boolean gpuAvailable() {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g).withDevice(DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(0).build());
            var c = tf.withName("gpu_probe").identity(tf.constant(1f));
            // allow_growth here too: TensorFlow sizes each GPU's allocator once, from the first session that
            // touches it, so a probe without it would reserve (nearly) all GPU memory for the process
            ConfigProto probe = ConfigProto.newBuilder().setAllowSoftPlacement(false)
                    .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true)).build();
            try (Session s = new Session(g, probe);
                 Result r = s.runner().fetch(c).run()) {
                return r.size() == 1;
            }
        } catch (RuntimeException e) {
            return false;
        }
    }

}
