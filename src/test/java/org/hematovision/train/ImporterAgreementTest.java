package org.hematovision.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.hematovision.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The imported float graph agrees with what the uint8 TFLite model's own arithmetic computes
 * ({@link Uint8ReferenceInterpreter}) on real images from ../shared/data: same top-1 ImageNet class,
 * probabilities within 0.08 (the uint8 model rounds activations after each of its 65 layers; float
 * does not: observed differences are 0.01–0.06). Where the uint8 model's top two classes are within 0.03 of each other
 * (a near tie its own activation rounding can flip), the float top-1 must be one of the tied classes;
 * at least four of the images must have a clear top-1, on which the top-1 must be equal.
 */
class ImporterAgreementTest {

    private static final int SIZE = 224;
    private static final double MAX_PROBABILITY_DIFF = 0.08;
    /** Top-1 margin of the uint8 model (8 output steps of 1/256) above which the float top-1 must be the same. */
    private static final float CLEAR_MARGIN = 0.03f;
    private static TfliteModel model;
    private static Path data;

    @BeforeAll
    static void load() throws Exception {
        data = TestData.assumeShared();
        model = TfliteModel.read(data.resolve("pretrained/mobilenet_v2_1.0_224_quant.tflite"));
    }

    @Test
    void readerSeesTheMobileNetV2Structure() {
        assertEquals(66, model.operators().size());
        TfliteModel.TensorInfo in = model.tensor(model.inputs()[0]);
        assertEquals(List.of(1, 224, 224, 3), java.util.Arrays.stream(in.shape()).boxed().toList());
        assertEquals(TfliteModel.UINT8, in.type());
        assertEquals(1001, model.tensor(model.outputs()[0]).shape()[1]);
        long convs = model.operators().stream().filter(o -> o.code() == TfliteModel.CONV_2D).count();
        long dws = model.operators().stream().filter(o -> o.code() == TfliteModel.DEPTHWISE_CONV_2D).count();
        long adds = model.operators().stream().filter(o -> o.code() == TfliteModel.ADD).count();
        assertEquals(36, convs);
        assertEquals(17, dws);
        assertEquals(10, adds);
    }

    @Test
    void floatGraphAgreesWithUint8Arithmetic() throws Exception {
        List<String> images = List.of(
                "pbc/neutrophil/" + first("neutrophil"),
                "pbc/eosinophil/" + first("eosinophil"),
                "pbc/lymphocyte/" + first("lymphocyte"),
                "bccd/JPEGImages/BloodImage_00000.jpg",
                "bccd/JPEGImages/BloodImage_00010.jpg",
                "bccd/JPEGImages/BloodImage_00020.jpg",
                "bccd/JPEGImages/BloodImage_00030.jpg",
                "bccd/JPEGImages/BloodImage_00040.jpg");
        int clear = 0;
        Uint8ReferenceInterpreter reference = new Uint8ReferenceInterpreter(model);
        TfliteModel.TensorInfo inT = model.tensor(model.inputs()[0]);
        TfliteModel.TensorInfo outT = model.tensor(model.outputs()[0]);
        NetParams params = NetParams.fromTflite(model);
        int logitsOp = model.operators().size() - 3;
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class);
            Operand<TFloat32> logits = new MobileNetV2Graph(model, params).emit(tf, x, 0, logitsOp, Integer.MAX_VALUE,
                    MobileNetV2Graph.Mode.CONSTANT, MobileNetV2Graph.Mode.CONSTANT);
            Operand<TFloat32> probs = tf.nn.softmax(tf.reshape(logits, tf.constant(new long[] {1, 1001})));
            try (Session s = new Session(g)) {
                for (String name : images) {
                    int[] q = uint8Input(data.resolve(name));
                    int[] refQ = reference.run(q);
                    float[] ref = new float[refQ.length];
                    for (int i = 0; i < ref.length; i++) {
                        ref[i] = outT.scale() * (refQ[i] - outT.zeroPoint());
                    }
                    float[] real = new float[q.length];
                    for (int i = 0; i < q.length; i++) {
                        real[i] = inT.scale() * (q[i] - inT.zeroPoint());
                    }
                    float[] got;
                    try (TFloat32 t = TfArrays.tensor(real, 1, SIZE, SIZE, 3); Result r = s.runner().feed(x, t).fetch(probs).run()) {
                        got = TfArrays.read((TFloat32) r.get(0));
                    }
                    int refTop = Metrics.argmax(ref);
                    int gotTop = Metrics.argmax(got);
                    double maxDiff = 0;
                    for (int i = 0; i < ref.length; i++) {
                        maxDiff = Math.max(maxDiff, Math.abs(ref[i] - got[i]));
                    }
                    float[] sorted = ref.clone();
                    java.util.Arrays.sort(sorted);
                    System.out.printf("importer agreement %s: uint8 top-1 %d (p=%.3f, 2nd %.3f), float top-1 %d (p=%.3f, uint8 p there %.3f), max |dp| %.4f%n",
                            name, refTop, ref[refTop], sorted[sorted.length - 2], gotTop, got[gotTop], ref[gotTop], maxDiff);
                    assertTrue(maxDiff < MAX_PROBABILITY_DIFF, name + ": probabilities differ by " + maxDiff);
                    float margin = ref[refTop] - sorted[sorted.length - 2];
                    if (margin >= CLEAR_MARGIN) {
                        clear++;
                        assertEquals(refTop, gotTop, name + ": top-1 differs although the uint8 model is clear (margin " + margin + ")");
                    } else {
                        // a near tie in the uint8 model (within its activation rounding): the float top-1 must be one of the tied classes
                        assertTrue(ref[refTop] - ref[gotTop] < CLEAR_MARGIN, name + ": float top-1 " + gotTop
                                + " has uint8 probability " + ref[gotTop] + " vs " + ref[refTop]);
                    }
                }
            }
        }
        assertTrue(clear >= 4, "only " + clear + " images with a clear uint8 top-1; the check needs at least 4");
    }

    private static String first(String cls) {
        java.io.File[] files = data.resolve("pbc").resolve(cls).toFile().listFiles((d, n) -> n.endsWith(".jpg"));
        java.util.Arrays.sort(files);
        return files[0].getName();
    }

    /** The image resized to 224x224 RGB uint8 (what the TFLite model takes). */
    private static int[] uint8Input(Path file) throws Exception {
        BufferedImage src = ImageIO.read(file.toFile());
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, SIZE, SIZE, null);
        g.dispose();
        int[] out = new int[SIZE * SIZE * 3];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int rgb = img.getRGB(x, y);
                int o = (y * SIZE + x) * 3;
                out[o] = (rgb >> 16) & 0xff;
                out[o + 1] = (rgb >> 8) & 0xff;
                out[o + 2] = rgb & 0xff;
            }
        }
        return out;
    }
}
