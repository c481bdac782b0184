package org.hematovision.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Float parameters of the network in TensorFlow layout, keyed {@code op<i>/w}, {@code op<i>/b}
 * (the i-th TFLite operator) and {@code head/w}, {@code head/b}: convolution filters HWIO,
 * depthwise filters [kh,kw,C,1], the head [features, classes]. Plain Java values, so they move
 * between graphs (training, export) without native memory.
 */
public final class NetParams {

    /** One parameter: values in row-major order of {@code shape}. */
    public record Param(long[] shape, float[] values) {
    }

    private final Map<String, Param> params = new LinkedHashMap<>();

    public Param get(String key) {
        Param p = params.get(key);
        if (p == null) {
            throw new IllegalArgumentException("no parameter " + key);
        }
        return p;
    }

    public boolean has(String key) {
        return params.containsKey(key);
    }

    public void put(String key, long[] shape, float[] values) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException(key + ": " + values.length + " values for " + n + " elements");
        }
        params.put(key, new Param(shape.clone(), values));
    }

    public Map<String, Param> all() {
        return java.util.Collections.unmodifiableMap(params);
    }

    /** Dequantized weights and biases of every convolution of the TFLite model, in TF layout. */
    public static NetParams fromTflite(TfliteModel model) {
        NetParams p = new NetParams();
        for (int i = 0; i < model.operators().size(); i++) {
            TfliteModel.OperatorInfo op = model.operators().get(i);
            if (op.code() != TfliteModel.CONV_2D && op.code() != TfliteModel.DEPTHWISE_CONV_2D) {
                continue;
            }
            TfliteModel.TensorInfo w = model.tensor(op.inputs()[1]);
            TfliteModel.TensorInfo b = model.tensor(op.inputs()[2]);
            int[] s = w.shape();
            float[] real = w.dequantize();
            if (op.code() == TfliteModel.CONV_2D) {
                // OHWI -> HWIO
                int o = s[0], kh = s[1], kw = s[2], in = s[3];
                float[] hwio = new float[real.length];
                for (int oc = 0; oc < o; oc++) {
                    for (int y = 0; y < kh; y++) {
                        for (int x = 0; x < kw; x++) {
                            for (int ic = 0; ic < in; ic++) {
                                hwio[((y * kw + x) * in + ic) * o + oc] = real[((oc * kh + y) * kw + x) * in + ic];
                            }
                        }
                    }
                }
                p.put("op" + i + "/w", new long[] {kh, kw, in, o}, hwio);
            } else {
                if (op.depthMultiplier() != 1) {
                    throw new IllegalArgumentException("operator " + i + ": depth multiplier " + op.depthMultiplier() + " not supported");
                }
                // [1,kh,kw,C] -> [kh,kw,C,1]: same memory order
                p.put("op" + i + "/w", new long[] {s[1], s[2], s[3], 1}, real);
            }
            p.put("op" + i + "/b", new long[] {b.shape()[0]}, b.dequantize());
        }
        return p;
    }
}
