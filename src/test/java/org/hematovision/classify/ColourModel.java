package org.hematovision.classify;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Builds and exports a small real SavedModel whose class is decided by colour: a 3x3 convolution
 * (identity per channel, so it really runs), global average pooling over the image, then a dense
 * layer held in variables (so the bundle has a variables checkpoint) and softmax.
 * With mean=std=0.5 a pure red crop pools to (1,-1,-1), blue to (-1,-1,1), green to (-1,1,-1).
 */
final class ColourModel {

    static final List<String> LABELS = List.of("red", "green", "blue", "grey");
    static final int SIZE = 32;
    /** Logit scale: large enough that pure colours are near-certain. */
    static final float GAIN = 4f;

    private ColourModel() {
    }

    /** Exports the SavedModel into {@code dir/saved_model} (no model.json yet). */
    static void exportSavedModel(Path dir) throws IOException {
        exportSavedModel(dir, Shape.of(-1, SIZE, SIZE, 3), LABELS.size());
    }

    static void exportSavedModel(Path dir, Shape inputShape, int classes) throws IOException {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> image = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(inputShape));
            float[][][][] kernel = new float[3][3][3][3];
            for (int c = 0; c < 3; c++) {
                kernel[1][1][c][c] = 1f; // centre tap: identity, padding SAME keeps the size
            }
            Operand<TFloat32> conv = tf.nn.conv2d(image, tf.constant(kernel), List.of(1L, 1L, 1L, 1L), "SAME");
            Operand<TFloat32> pooled = tf.math.mean(conv, tf.constant(new int[] {1, 2}));
            float[][] w = new float[3][classes];
            float[] b = new float[classes];
            // red, green, blue: one channel up, the other two down; grey: favoured when all channels agree
            for (int c = 0; c < Math.min(3, classes); c++) {
                for (int k = 0; k < 3; k++) {
                    w[k][c] = k == c ? GAIN : -GAIN / 2;
                }
            }
            if (classes > 3) {
                b[3] = GAIN / 2;
            }
            Operand<TFloat32> weights = tf.withName("dense_kernel").variable(tf.constant(w));
            Operand<TFloat32> bias = tf.withName("dense_bias").variable(tf.constant(b));
            Operand<TFloat32> logits = tf.math.add(tf.linalg.matMul(pooled, weights), bias);
            Operand<TFloat32> probs = tf.withName("probabilities").nn.softmax(logits);
            try (Session s = new Session(g)) {
                s.initialize();
                Signature sig = Signature.builder().key(ModelBundle.SIGNATURE)
                        .input(ModelBundle.INPUT, image).output(ModelBundle.OUTPUT, probs).build();
                SavedModelBundle.exporter(dir.resolve(ModelBundle.SAVED_MODEL_DIR).toString())
                        .withTags(ModelBundle.TAG).withSession(s).withSignature(sig).export();
            }
        }
    }

    static ModelMetadataBuilder metadata() {
        return new ModelMetadataBuilder("colour-test", "0.0.1", LABELS)
                .inputSize(SIZE, SIZE)
                .abnormalLabels("blue")
                .excludedLabels("grey")
                .minProbability(0.6)
                .provenance("built", "ColourModel test fixture");
    }

    /** Exports the SavedModel and writes model.json: a complete, valid bundle in {@code dir}. */
    static ModelBundle writeBundle(Path dir) throws IOException {
        exportSavedModel(dir);
        return ModelBundleWriter.write(dir, metadata().build());
    }
}
