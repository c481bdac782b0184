package org.hematovision.train;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.hematovision.classify.ModelBundle;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.types.TFloat32;

/**
 * Writes the trained network as the bundle's SavedModel: input {@code image} [N,S,S,3] float,
 * output {@code probabilities} [N,8], signature {@code serving_default}, tag {@code serve}.
 *
 * <p>{@link MobileNetV2Graph.Mode#INT8}: every convolution filter and the head matrix are int8 codes
 * with one float scale per output channel, stored as graph constants and dequantized in the graph
 * (cast, subtract the 128 offset, multiply by the scale); biases stay float32. Arithmetic is float32.
 * {@link MobileNetV2Graph.Mode#CONSTANT}: the same network with float32 weights (for comparison).
 */
public final class BundleExporter {

    static final String SAVED_MODEL_PB = "saved_model.pb";

    private BundleExporter() {
    }

    public static void exportSavedModel(TfliteModel model, NetParams params, int inputSize, MobileNetV2Graph.Mode mode,
                                        Path bundleDir) throws IOException {
        if (mode == MobileNetV2Graph.Mode.VARIABLE) {
            throw new IllegalArgumentException("export mode must be INT8 or CONSTANT");
        }
        Path savedModel = bundleDir.resolve(ModelBundle.SAVED_MODEL_DIR);
        deleteTree(savedModel);
        Files.createDirectories(bundleDir);
        int pool = MobileNetV2Graph.avgPoolOp(model);
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> image = tf.withName(ModelBundle.INPUT).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, inputSize, inputSize, 3)));
            MobileNetV2Graph net = new MobileNetV2Graph(model, params);
            Operand<TFloat32> pooled = net.emit(tf, image, 0, pool, 0, mode, mode);
            Operand<TFloat32> logits = net.head(tf, pooled, mode);
            Operand<TFloat32> probs = tf.withName(ModelBundle.OUTPUT).nn.softmax(logits);
            try (Session s = new Session(g)) {
                Signature sig = Signature.builder().key(ModelBundle.SIGNATURE)
                        .input(ModelBundle.INPUT, image).output(ModelBundle.OUTPUT, probs).build();
                SavedModelBundle.exporter(savedModel.toString()).withTags(ModelBundle.TAG).withSession(s)
                        .withSignature(sig).export();
            }
        }
        rewriteDeterministically(savedModel.resolve(SAVED_MODEL_PB));
    }

    /**
     * Moves a finished bundle ({@code saved_model/} and {@code model.json}) from {@code staging} into
     * {@code bundleDir}, leaving every other file there (the model card, evaluation figures) alone.
     * {@code model.json} goes last: until then the old one stays, and a kill in between leaves checksums
     * that do not match the new SavedModel, which the appliance refuses to load, never a half-calibrated
     * bundle that loads.
     */
    public static void install(Path staging, Path bundleDir) throws IOException {
        Files.createDirectories(bundleDir);
        Path savedModel = bundleDir.resolve(ModelBundle.SAVED_MODEL_DIR);
        deleteTree(savedModel);
        Files.move(staging.resolve(ModelBundle.SAVED_MODEL_DIR), savedModel, StandardCopyOption.ATOMIC_MOVE);
        Files.move(staging.resolve(ModelBundle.MODEL_JSON), bundleDir.resolve(ModelBundle.MODEL_JSON),
                StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(staging);
    }

    /**
     * Rewrites a {@code saved_model.pb} with protobuf's deterministic serialization (map entries sorted by
     * key). The exporter writes each node's attribute map in hash order, which differs from process to
     * process, so two identical networks gave different bytes and a different SHA-256 in {@code model.json}.
     * Rewritten, the bytes are a function of the network alone. Idempotent.
     */
    static void rewriteDeterministically(Path savedModelPb) throws IOException {
        SavedModel parsed = SavedModel.parseFrom(Files.readAllBytes(savedModelPb));
        byte[] canonical = canonicalBytes(parsed);
        Path tmp = savedModelPb.resolveSibling(savedModelPb.getFileName() + ".tmp");
        Files.write(tmp, canonical);
        Files.move(tmp, savedModelPb, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static byte[] canonicalBytes(SavedModel model) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(model.getSerializedSize());
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.useDeterministicSerialization();
        model.writeTo(out);
        out.flush();
        return bytes.toByteArray();
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Total bytes of all regular files under {@code dir}. */
    public static long sizeOf(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            long total = 0;
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                total += Files.size(p);
            }
            return total;
        }
    }
}
