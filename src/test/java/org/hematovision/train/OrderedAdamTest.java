package org.hematovision.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * {@link OrderedAdam} on a two-layer linear net y = x W1 W2 with a mean squared error: its weights after
 * each of 25 steps match a plain-Java Adam that takes both gradients from the weights before the step,
 * and two runs end bit for bit the same.
 */
class OrderedAdamTest {

    private static final int N = 16;
    private static final int IN = 6;
    private static final int HIDDEN = 4;
    private static final int OUT = 3;
    private static final int STEPS = 25;
    private static final float LR = 0.05f;

    private final SplittableRandom rnd = new SplittableRandom(11);
    private final float[] x = gaussian(N * IN);
    private final float[] target = gaussian(N * OUT);
    private final float[] w1 = gaussian(IN * HIDDEN);
    private final float[] w2 = gaussian(HIDDEN * OUT);

    @Test
    void everyStepMatchesAdamComputedFromTheWeightsBeforeTheStep() {
        float[][][] tf = trainInTensorFlow();
        double[] r1 = toDouble(w1);
        double[] r2 = toDouble(w2);
        double[][] moments = {new double[r1.length], new double[r1.length], new double[r2.length], new double[r2.length]};
        for (int t = 1; t <= STEPS; t++) {
            double[][] g = gradients(r1, r2);
            adam(r1, g[0], moments[0], moments[1], t);
            adam(r2, g[1], moments[2], moments[3], t);
            assertClose(r1, tf[t - 1][0], "W1 after step " + t);
            assertClose(r2, tf[t - 1][1], "W2 after step " + t);
        }
    }

    @Test
    void twoRunsEndBitForBitTheSame() {
        float[][][] a = trainInTensorFlow();
        float[][][] b = trainInTensorFlow();
        assertArrayEquals(a[STEPS - 1][0], b[STEPS - 1][0], 0f);
        assertArrayEquals(a[STEPS - 1][1], b[STEPS - 1][1], 0f);
    }

    /** W1 and W2 after each step. */
    private float[][][] trainInTensorFlow() {
        float[][][] out = new float[STEPS][][];
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Operand<TFloat32> xin = tf.constant(Shape.of(N, IN), DataBuffers.of(x));
            Operand<TFloat32> t = tf.constant(Shape.of(N, OUT), DataBuffers.of(target));
            Variable<TFloat32> v1 = tf.variable(tf.constant(Shape.of(IN, HIDDEN), DataBuffers.of(w1)));
            Variable<TFloat32> v2 = tf.variable(tf.constant(Shape.of(HIDDEN, OUT), DataBuffers.of(w2)));
            Operand<TFloat32> y = tf.linalg.matMul(tf.linalg.matMul(xin, v1), v2);
            Operand<TFloat32> loss = tf.math.mean(tf.math.square(tf.math.sub(y, t)), tf.constant(new int[] {0, 1}));
            Op step = OrderedAdam.minimize(tf, loss, List.of(v1, v2), LR);
            try (Session s = new Session(g, Trainer.sessionConfig(1))) {
                s.initialize();
                for (int k = 0; k < STEPS; k++) {
                    s.runner().addTarget(step).run().close();
                    try (Result r = s.runner().fetch(v1).fetch(v2).run()) {
                        out[k] = new float[][] {TfArrays.read((TFloat32) r.get(0)), TfArrays.read((TFloat32) r.get(1))};
                    }
                }
            }
        }
        return out;
    }

    /** dL/dW1 and dL/dW2 of the mean squared error, both at the given weights. */
    private double[][] gradients(double[] a, double[] b) {
        double[] h = matMul(toDouble(x), a, N, IN, HIDDEN);
        double[] y = matMul(h, b, N, HIDDEN, OUT);
        double[] dy = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            dy[i] = 2 * (y[i] - target[i]) / y.length;
        }
        double[] db = new double[b.length];
        double[] dh = new double[h.length];
        for (int n = 0; n < N; n++) {
            for (int j = 0; j < HIDDEN; j++) {
                for (int o = 0; o < OUT; o++) {
                    db[j * OUT + o] += h[n * HIDDEN + j] * dy[n * OUT + o];
                    dh[n * HIDDEN + j] += dy[n * OUT + o] * b[j * OUT + o];
                }
            }
        }
        double[] da = new double[a.length];
        for (int n = 0; n < N; n++) {
            for (int i = 0; i < IN; i++) {
                for (int j = 0; j < HIDDEN; j++) {
                    da[i * HIDDEN + j] += x[n * IN + i] * dh[n * HIDDEN + j];
                }
            }
        }
        return new double[][] {da, db};
    }

    /** Kingma and Ba's update with TensorFlow's epsilon placement (outside the bias-corrected root). */
    private static void adam(double[] w, double[] g, double[] m, double[] v, int t) {
        double lrT = LR * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
        for (int i = 0; i < w.length; i++) {
            m[i] = 0.9 * m[i] + 0.1 * g[i];
            v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
            w[i] -= lrT * m[i] / (Math.sqrt(v[i]) + 1e-8);
        }
    }

    private static double[] matMul(double[] a, double[] b, int rows, int inner, int cols) {
        double[] c = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < inner; k++) {
                for (int col = 0; col < cols; col++) {
                    c[r * cols + col] += a[r * inner + k] * b[k * cols + col];
                }
            }
        }
        return c;
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 2e-4 * Math.max(1, Math.abs(expected[i])), what + " [" + i + "]");
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private float[] gaussian(int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (rnd.nextGaussian() * 0.5);
        }
        return f;
    }
}
