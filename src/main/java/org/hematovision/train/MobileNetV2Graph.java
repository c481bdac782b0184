package org.hematovision.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * Emits the operators of the imported TFLite MobileNetV2 as a float TensorFlow graph (ReLU6 fused,
 * batch norm already folded into the weights), from any operator to any other, so that training can
 * start from a cached activation and export can rebuild the whole network.
 *
 * <p>Each parameter is emitted in one of three ways ({@link Mode}): a float constant, a trainable
 * variable initialised from the current value, or int8 weights with one symmetric scale per output
 * channel, dequantized inside the graph. TF Java 1.1 has no int8 tensor type, so the int8 codes are
 * stored as uint8 with an offset of 128 (the same 8 bits, flipped sign bit).
 */
public final class MobileNetV2Graph {

    /** How a parameter goes into the graph. */
    public enum Mode { CONSTANT, VARIABLE, INT8 }

    private final TfliteModel model;
    private final NetParams params;
    private final Map<String, Variable<TFloat32>> variables = new HashMap<>();

    public MobileNetV2Graph(TfliteModel model, NetParams params) {
        this.model = model;
        this.params = params;
    }

    /** Variables created so far (key to variable), to read trained values back. */
    public Map<String, Variable<TFloat32>> variables() {
        return variables;
    }

    /** Index of the first operator whose output tensor name starts with {@code prefix}. */
    public static int firstOpWithOutput(TfliteModel model, String prefix) {
        for (int i = 0; i < model.operators().size(); i++) {
            if (model.tensor(model.operators().get(i).outputs()[0]).name().startsWith(prefix)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no operator writes a tensor named " + prefix + "*");
    }

    /** Index of the global average pool (the 1280-d feature the new head reads). */
    public static int avgPoolOp(TfliteModel model) {
        for (int i = 0; i < model.operators().size(); i++) {
            if (model.operators().get(i).code() == TfliteModel.AVERAGE_POOL_2D) {
                return i;
            }
        }
        throw new IllegalArgumentException("model has no AVERAGE_POOL_2D");
    }

    /**
     * Emits operators {@code from..to} inclusive. {@code input} stands for the first input of operator
     * {@code from}. Parameters of operators at or after {@code trainableFrom} use {@code trainableMode},
     * the others {@code frozenMode}. Returns the output of operator {@code to}.
     */
    public Operand<TFloat32> emit(Ops tf, Operand<TFloat32> input, int from, int to, int trainableFrom,
                                  Mode frozenMode, Mode trainableMode) {
        Map<Integer, Operand<TFloat32>> values = new HashMap<>();
        values.put(model.operators().get(from).inputs()[0], input);
        Operand<TFloat32> last = input;
        for (int i = from; i <= to; i++) {
            TfliteModel.OperatorInfo op = model.operators().get(i);
            Mode mode = i >= trainableFrom ? trainableMode : frozenMode;
            Operand<TFloat32> x = values.get(op.inputs()[0]);
            if (x == null) {
                throw new IllegalStateException("operator " + i + " reads a tensor computed before operator " + from);
            }
            Operand<TFloat32> y;
            switch (op.code()) {
                case TfliteModel.CONV_2D -> {
                    Operand<TFloat32> w = param(tf, "op" + i + "/w", mode, 3);
                    y = tf.nn.conv2d(x, w, List.of(1L, (long) op.strideH(), (long) op.strideW(), 1L), padding(op));
                    y = tf.nn.biasAdd(y, param(tf, "op" + i + "/b", mode == Mode.INT8 ? Mode.CONSTANT : mode, 0));
                }
                case TfliteModel.DEPTHWISE_CONV_2D -> {
                    // Depthwise filters stay float32 in the int8 export: 9 weights per channel carry
                    // the most quantization noise per output, and they are 3 % of the weights.
                    Operand<TFloat32> w = param(tf, "op" + i + "/w", mode == Mode.INT8 ? Mode.CONSTANT : mode, 2);
                    y = tf.nn.depthwiseConv2dNative(x, w, List.of(1L, (long) op.strideH(), (long) op.strideW(), 1L), padding(op));
                    y = tf.nn.biasAdd(y, param(tf, "op" + i + "/b", mode == Mode.INT8 ? Mode.CONSTANT : mode, 0));
                }
                case TfliteModel.ADD -> {
                    Operand<TFloat32> other = values.get(op.inputs()[1]);
                    if (other == null) {
                        throw new IllegalStateException("operator " + i + " adds a tensor computed before operator " + from);
                    }
                    y = tf.math.add(x, other);
                }
                case TfliteModel.AVERAGE_POOL_2D -> {
                    int[] inShape = model.tensor(op.inputs()[0]).shape();
                    if (op.padding() == 1 && op.filterH() == inShape[1] && op.filterW() == inShape[2]) {
                        // global average pool in the 224 model: a mean over H,W so that smaller inputs work too
                        y = tf.math.mean(x, tf.constant(new int[] {1, 2}), org.tensorflow.op.math.Mean.keepDims(true));
                    } else {
                        y = tf.nn.avgPool(x, List.of(1L, (long) op.filterH(), (long) op.filterW(), 1L),
                                List.of(1L, (long) op.strideH(), (long) op.strideW(), 1L), padding(op));
                    }
                }
                default -> throw new IllegalArgumentException("operator " + i + ": builtin code " + op.code() + " not supported");
            }
            y = switch (op.activation()) {
                case TfliteModel.ACT_NONE -> y;
                case TfliteModel.ACT_RELU6 -> tf.nn.relu6(y);
                case TfliteModel.ACT_RELU -> tf.nn.relu(y);
                default -> throw new IllegalArgumentException("operator " + i + ": activation " + op.activation() + " not supported");
            };
            values.put(op.outputs()[0], y);
            last = y;
        }
        return last;
    }

    /** The new classification head on the pooled features: logits [N, classes]. */
    public Operand<TFloat32> head(Ops tf, Operand<TFloat32> pooled, Mode mode) {
        long features = params.get("head/w").shape()[0];
        Operand<TFloat32> flat = tf.reshape(pooled, tf.constant(new long[] {-1, features}));
        Operand<TFloat32> w = param(tf, "head/w", mode, 1);
        Operand<TFloat32> b = param(tf, "head/b", mode == Mode.INT8 ? Mode.CONSTANT : mode, 0);
        return tf.math.add(tf.linalg.matMul(flat, w), b);
    }

    private static String padding(TfliteModel.OperatorInfo op) {
        return op.padding() == 0 ? "SAME" : "VALID";
    }

    /** {@code channelDim}: the axis of the output channel, used for per-channel int8 scales. */
    private Operand<TFloat32> param(Ops tf, String key, Mode mode, int channelDim) {
        NetParams.Param p = params.get(key);
        Shape shape = Shape.of(p.shape());
        return switch (mode) {
            case CONSTANT -> tf.constant(shape, DataBuffers.of(p.values(), true, false));
            case VARIABLE -> {
                Variable<TFloat32> v = tf.withName(key.replace('/', '_')).variable(
                        tf.constant(shape, DataBuffers.of(p.values(), true, false)));
                variables.put(key, v);
                yield v;
            }
            case INT8 -> {
                Int8Weights q = Int8Weights.quantize(p.shape(), p.values(), channelDim);
                Operand<TUint8> codes = tf.constant(shape, DataBuffers.of(q.offsetCodes(), true, false));
                long[] scaleShape = new long[p.shape().length - channelDim];
                Arrays.fill(scaleShape, 1);
                scaleShape[0] = p.shape()[channelDim];
                Operand<TFloat32> scales = tf.constant(Shape.of(scaleShape), DataBuffers.of(q.scales(), true, false));
                Operand<TFloat32> centred = tf.math.sub(tf.dtypes.cast(codes, TFloat32.class), tf.constant(128f));
                yield tf.math.mul(centred, scales);
            }
        };
    }

    /** Keys of the parameters of operators {@code from..to} (inclusive), in order. */
    public List<String> paramKeys(int from, int to) {
        List<String> keys = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            for (String s : List.of("/w", "/b")) {
                if (params.has("op" + i + s)) {
                    keys.add("op" + i + s);
                }
            }
        }
        return keys;
    }
}
