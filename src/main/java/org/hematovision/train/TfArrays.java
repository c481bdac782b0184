package org.hematovision.train;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Copies between Java float arrays and float tensors (the caller closes the tensor). */
public final class TfArrays {

    private TfArrays() {
    }

    public static TFloat32 tensor(float[] data, long... shape) {
        return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
    }

    public static float[] read(TFloat32 t) {
        float[] out = new float[(int) t.shape().size()];
        t.copyTo(DataBuffers.of(out, false, false));
        return out;
    }
}
