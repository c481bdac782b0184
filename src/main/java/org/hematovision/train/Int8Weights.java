package org.hematovision.train;

/**
 * Symmetric int8 quantization with one scale per output channel: {@code q = round(w / s)},
 * {@code s = max|w_channel| / 127}, {@code w ≈ s * q}.
 *
 * @param codes  int8 codes in the layout of the float weights
 * @param scales one scale per channel
 */
public record Int8Weights(long[] shape, byte[] codes, float[] scales, int channelDim) {

    public static Int8Weights quantize(long[] shape, float[] values, int channelDim) {
        int channels = (int) shape[channelDim];
        int inner = 1;
        for (int d = channelDim + 1; d < shape.length; d++) {
            inner *= (int) shape[d];
        }
        float[] max = new float[channels];
        for (int i = 0; i < values.length; i++) {
            int c = (i / inner) % channels;
            max[c] = Math.max(max[c], Math.abs(values[i]));
        }
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = max[c] > 0 ? max[c] / 127f : 1f;
        }
        byte[] codes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            int c = (i / inner) % channels;
            codes[i] = (byte) Math.max(-127, Math.min(127, Math.round(values[i] / scales[c])));
        }
        return new Int8Weights(shape.clone(), codes, scales, channelDim);
    }

    /** The codes as uint8 {@code q + 128} (TF Java 1.1 has no int8 tensor type). */
    public byte[] offsetCodes() {
        byte[] out = new byte[codes.length];
        for (int i = 0; i < codes.length; i++) {
            out[i] = (byte) (codes[i] + 128);
        }
        return out;
    }

    public float[] dequantize() {
        int channels = scales.length;
        int inner = 1;
        for (int d = channelDim + 1; d < shape.length; d++) {
            inner *= (int) shape[d];
        }
        float[] out = new float[codes.length];
        for (int i = 0; i < codes.length; i++) {
            out[i] = codes[i] * scales[(i / inner) % channels];
        }
        return out;
    }
}
