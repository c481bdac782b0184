package org.hematovision.train;

import java.util.HashMap;
import java.util.Map;

/**
 * A plain-Java reference of what the uint8 TFLite MobileNetV2 computes: asymmetric uint8 activations,
 * int32 accumulation of {@code (q_in - zp_in) * (q_w - zp_w)} plus the int32 bias, requantized to the
 * output scale/zero point with the real multiplier {@code s_in * s_w / s_out} (TFLite uses a fixed-point
 * version of the same multiplier, so results may differ by one step), fused ReLU6 as a clamp of the
 * quantized range. Batch 1, NHWC. Only for tests: it is slow.
 */
final class Uint8ReferenceInterpreter {

    private final TfliteModel model;

    Uint8ReferenceInterpreter(TfliteModel model) {
        this.model = model;
    }

    /** Runs the whole model on a uint8 input (values 0..255, [H,W,3]); returns the output tensor's uint8 values. */
    int[] run(int[] input) {
        Map<Integer, int[]> values = new HashMap<>();
        values.put(model.inputs()[0], input);
        for (TfliteModel.OperatorInfo op : model.operators()) {
            TfliteModel.TensorInfo in = model.tensor(op.inputs()[0]);
            TfliteModel.TensorInfo out = model.tensor(op.outputs()[0]);
            int[] x = values.get(op.inputs()[0]);
            int[] y = switch (op.code()) {
                case TfliteModel.CONV_2D -> conv(op, in, x, out, false);
                case TfliteModel.DEPTHWISE_CONV_2D -> conv(op, in, x, out, true);
                case TfliteModel.ADD -> add(op, in, x, model.tensor(op.inputs()[1]), values.get(op.inputs()[1]), out);
                case TfliteModel.AVERAGE_POOL_2D -> avgPool(op, in, x);
                case TfliteModel.RESHAPE -> x;
                case TfliteModel.SOFTMAX -> softmax(in, x, out);
                default -> throw new IllegalArgumentException("unsupported operator " + op.code());
            };
            values.put(op.outputs()[0], y);
        }
        return values.get(model.outputs()[0]);
    }

    private static int[] range(int activation, TfliteModel.TensorInfo out) {
        int lo = 0, hi = 255;
        if (activation == TfliteModel.ACT_RELU6) {
            lo = Math.max(lo, (int) out.zeroPoint());
            hi = Math.min(hi, (int) (out.zeroPoint() + Math.round(6.0 / out.scale())));
        } else if (activation == TfliteModel.ACT_RELU) {
            lo = Math.max(lo, (int) out.zeroPoint());
        }
        return new int[] {lo, hi};
    }

    private static int requantize(long acc, double multiplier, long zp, int[] range) {
        long v = zp + Math.round(acc * multiplier);
        return (int) Math.max(range[0], Math.min(range[1], v));
    }

    private int[] conv(TfliteModel.OperatorInfo op, TfliteModel.TensorInfo in, int[] x, TfliteModel.TensorInfo out,
                       boolean depthwise) {
        TfliteModel.TensorInfo wt = model.tensor(op.inputs()[1]);
        int[] w = wt.rawInts();
        int[] bias = model.tensor(op.inputs()[2]).rawInts();
        int h = in.shape()[1], wd = in.shape()[2], cin = in.shape()[3];
        int oh = out.shape()[1], ow = out.shape()[2], cout = out.shape()[3];
        int kh = wt.shape()[1], kw = wt.shape()[2];
        int sh = op.strideH(), sw = op.strideW();
        int padTop = 0, padLeft = 0;
        if (op.padding() == 0) {
            padTop = Math.max((oh - 1) * sh + kh - h, 0) / 2;
            padLeft = Math.max((ow - 1) * sw + kw - wd, 0) / 2;
        }
        long zin = in.zeroPoint(), zw = wt.zeroPoint();
        double multiplier = (double) in.scale() * wt.scale() / out.scale();
        int[] r = range(op.activation(), out);
        int[] y = new int[oh * ow * cout];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                for (int oc = 0; oc < cout; oc++) {
                    long acc = bias[oc];
                    for (int ky = 0; ky < kh; ky++) {
                        int iy = oy * sh - padTop + ky;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        for (int kx = 0; kx < kw; kx++) {
                            int ix = ox * sw - padLeft + kx;
                            if (ix < 0 || ix >= wd) {
                                continue;
                            }
                            int base = (iy * wd + ix) * cin;
                            if (depthwise) {
                                acc += (x[base + oc] - zin) * (w[(ky * kw + kx) * cout + oc] - zw);
                            } else {
                                int wb = ((oc * kh + ky) * kw + kx) * cin;
                                for (int ic = 0; ic < cin; ic++) {
                                    acc += (x[base + ic] - zin) * (w[wb + ic] - zw);
                                }
                            }
                        }
                    }
                    y[(oy * ow + ox) * cout + oc] = requantize(acc, multiplier, out.zeroPoint(), r);
                }
            }
        }
        return y;
    }

    private int[] add(TfliteModel.OperatorInfo op, TfliteModel.TensorInfo a, int[] xa, TfliteModel.TensorInfo b, int[] xb,
                      TfliteModel.TensorInfo out) {
        int[] r = range(op.activation(), out);
        int[] y = new int[xa.length];
        for (int i = 0; i < y.length; i++) {
            double real = a.scale() * (xa[i] - a.zeroPoint()) + b.scale() * (xb[i] - b.zeroPoint());
            y[i] = (int) Math.max(r[0], Math.min(r[1], out.zeroPoint() + Math.round(real / out.scale())));
        }
        return y;
    }

    private static int[] avgPool(TfliteModel.OperatorInfo op, TfliteModel.TensorInfo in, int[] x) {
        int h = in.shape()[1], w = in.shape()[2], c = in.shape()[3];
        if (op.filterH() != h || op.filterW() != w || op.padding() != 1) {
            throw new IllegalArgumentException("only global VALID average pooling is implemented");
        }
        int[] y = new int[c];
        int count = h * w;
        for (int ch = 0; ch < c; ch++) {
            long sum = 0;
            for (int p = 0; p < count; p++) {
                sum += x[p * c + ch];
            }
            y[ch] = (int) ((sum + count / 2) / count);
        }
        return y;
    }

    private static int[] softmax(TfliteModel.TensorInfo in, int[] x, TfliteModel.TensorInfo out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v : x) {
            max = Math.max(max, in.scale() * (v - in.zeroPoint()));
        }
        double[] e = new double[x.length];
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            e[i] = Math.exp(in.scale() * (x[i] - in.zeroPoint()) - max);
            sum += e[i];
        }
        int[] y = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (int) Math.max(0, Math.min(255, out.zeroPoint() + Math.round(e[i] / sum / out.scale())));
        }
        return y;
    }
}
