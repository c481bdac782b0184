package org.hematovision.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The first subgraph of a TFLite flatbuffer as plain Java values: tensors (shape, type, quantization,
 * constant data) and operators (builtin code, inputs, outputs, options). Reads only what the
 * MobileNetV2 import needs; unknown operators are kept with their code so callers can refuse them.
 */
public record TfliteModel(List<TensorInfo> tensors, List<OperatorInfo> operators, int[] inputs, int[] outputs) {

    /** TFLite {@code BuiltinOperator} codes used by MobileNetV2. */
    public static final int ADD = 0;
    public static final int AVERAGE_POOL_2D = 1;
    public static final int CONV_2D = 3;
    public static final int DEPTHWISE_CONV_2D = 4;
    public static final int RESHAPE = 22;
    public static final int SOFTMAX = 25;

    /** TFLite {@code TensorType} codes. */
    public static final int FLOAT32 = 0;
    public static final int INT32 = 2;
    public static final int UINT8 = 3;
    public static final int INT8 = 9;

    /** {@code ActivationFunctionType}. */
    public static final int ACT_NONE = 0;
    public static final int ACT_RELU = 1;
    public static final int ACT_RELU6 = 3;

    /**
     * One tensor.
     *
     * @param data raw little-endian bytes of its constant buffer, or an empty array for activations
     */
    public record TensorInfo(int index, String name, int[] shape, int type, float scale, long zeroPoint,
                             byte[] data) {

        public boolean isConstant() {
            return data.length > 0;
        }

        public int elementCount() {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        /** The constant's values as reals: {@code scale * (q - zeroPoint)} for quantized types. */
        public float[] dequantize() {
            int n = elementCount();
            float[] out = new float[n];
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                out[i] = switch (type) {
                    case UINT8 -> scale * ((data[i] & 0xff) - zeroPoint);
                    case INT8 -> scale * (data[i] - zeroPoint);
                    case INT32 -> scale * (b.getInt(4 * i) - zeroPoint);
                    case FLOAT32 -> b.getFloat(4 * i);
                    default -> throw new IllegalStateException("tensor " + name + ": unsupported type " + type);
                };
            }
            return out;
        }

        /** The constant's raw integer values (uint8 as 0..255, int32 as is). */
        public int[] rawInts() {
            int n = elementCount();
            int[] out = new int[n];
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                out[i] = switch (type) {
                    case UINT8 -> data[i] & 0xff;
                    case INT8 -> data[i];
                    case INT32 -> b.getInt(4 * i);
                    default -> throw new IllegalStateException("tensor " + name + ": not an integer type " + type);
                };
            }
            return out;
        }
    }

    /**
     * One operator with the options MobileNetV2 uses.
     *
     * @param padding          0 = SAME, 1 = VALID
     * @param activation       fused activation ({@link #ACT_NONE}, {@link #ACT_RELU6}, ...)
     * @param depthMultiplier  for depthwise convolutions
     */
    public record OperatorInfo(int code, int[] inputs, int[] outputs, int padding, int strideW, int strideH,
                               int activation, int depthMultiplier, int filterW, int filterH) {
    }

    public static TfliteModel read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return parse(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
        } catch (RuntimeException e) {
            throw new IOException("not a readable TFLite flatbuffer: " + file + " (" + e + ")", e);
        }
    }

    static TfliteModel parse(ByteBuffer bb) {
        FbTable model = FbTable.root(bb);
        int nCodes = model.vectorLength(1);
        int[] codes = new int[nCodes];
        for (int i = 0; i < nCodes; i++) {
            FbTable oc = model.tableAt(1, i);
            int deprecated = oc.byteField(0, 0);
            int builtin = oc.intField(3, 0);
            codes[i] = Math.max(deprecated, builtin);
        }
        int nBuffers = model.vectorLength(4);
        List<byte[]> buffers = new ArrayList<>(nBuffers);
        for (int i = 0; i < nBuffers; i++) {
            buffers.add(model.tableAt(4, i).byteVector(0));
        }
        if (model.vectorLength(2) < 1) {
            throw new IllegalArgumentException("model has no subgraph");
        }
        FbTable sg = model.tableAt(2, 0);
        int nTensors = sg.vectorLength(0);
        List<TensorInfo> tensors = new ArrayList<>(nTensors);
        for (int i = 0; i < nTensors; i++) {
            FbTable t = sg.tableAt(0, i);
            int[] shape = t.intVector(0);
            int type = t.byteField(1, 0);
            int buffer = t.intField(2, 0);
            String name = t.string(3);
            float scale = 0f;
            long zp = 0;
            FbTable q = t.table(4);
            if (q != null) {
                float[] scales = q.floatVector(2);
                long[] zps = q.longVector(3);
                if (scales.length > 1) {
                    throw new IllegalArgumentException("tensor " + name + " is quantized per channel; only per-tensor is supported");
                }
                scale = scales.length == 1 ? scales[0] : 0f;
                zp = zps.length == 1 ? zps[0] : 0;
            }
            byte[] data = buffer < buffers.size() ? buffers.get(buffer) : new byte[0];
            tensors.add(new TensorInfo(i, name, shape, type, scale, zp, data));
        }
        int nOps = sg.vectorLength(3);
        List<OperatorInfo> ops = new ArrayList<>(nOps);
        for (int i = 0; i < nOps; i++) {
            FbTable op = sg.tableAt(3, i);
            int code = codes[op.intField(0, 0)];
            FbTable o = op.table(4);
            int padding = 0, sw = 1, sh = 1, act = 0, mult = 1, fw = 0, fh = 0;
            if (o != null) {
                switch (code) {
                    case CONV_2D -> {
                        padding = o.byteField(0, 0);
                        sw = o.intField(1, 1);
                        sh = o.intField(2, 1);
                        act = o.byteField(3, 0);
                    }
                    case DEPTHWISE_CONV_2D -> {
                        padding = o.byteField(0, 0);
                        sw = o.intField(1, 1);
                        sh = o.intField(2, 1);
                        mult = o.intField(3, 1);
                        act = o.byteField(4, 0);
                    }
                    case AVERAGE_POOL_2D -> {
                        padding = o.byteField(0, 0);
                        sw = o.intField(1, 1);
                        sh = o.intField(2, 1);
                        fw = o.intField(3, 0);
                        fh = o.intField(4, 0);
                        act = o.byteField(5, 0);
                    }
                    case ADD -> act = o.byteField(0, 0);
                    default -> {
                    }
                }
            }
            ops.add(new OperatorInfo(code, op.intVector(1), op.intVector(2), padding, sw, sh, act, mult, fw, fh));
        }
        return new TfliteModel(List.copyOf(tensors), List.copyOf(ops), sg.intVector(1), sg.intVector(2));
    }

    public TensorInfo tensor(int index) {
        return tensors.get(index);
    }

    /** Tensor index by name. */
    public Map<String, Integer> tensorIndex() {
        Map<String, Integer> m = new HashMap<>();
        for (TensorInfo t : tensors) {
            m.put(t.name(), t.index());
        }
        return m;
    }
}
