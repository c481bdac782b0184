package org.hematovision.classify;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.hematovision.image.BgrImage;
import org.hematovision.image.ImageMats;

/**
 * Turns cell crops into the network's input batch as {@code model.json} describes it: resize to
 * the input size (area interpolation when shrinking, bilinear when enlarging, as OpenCV advises),
 * BGR to RGB, then {@code (v/255 - mean[c]) / std[c]}. Layout NHWC, channels R,G,B.
 *
 * <p>Kept apart from the TensorFlow runner so that evaluation ({@code eval-classifier}, {@code classify}) and
 * the appliance share one definition of the input. Training prepares its images on its own
 * ({@code train.CellAugmenter}: a centred square of the shorter side, supersampled, mirrored borders); the
 * two agree on the segmenter's square crops. A non-square image is stretched to the input here (a PBC
 * image, 360x363, by about 1%). Stateless after construction and thread-safe; Mats are closed per crop.
 */
public final class CellPreprocessor {

    private final int width;
    private final int height;
    // lut[c][v]: normalized value of byte v in RGB channel c; 3x256 floats instead of a divide per pixel.
    private final float[][] lut = new float[3][256];

    public CellPreprocessor(ModelMetadata metadata) {
        this.width = metadata.inputWidth();
        this.height = metadata.inputHeight();
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                lut[c][v] = (v / 255f - metadata.mean()[c]) / metadata.std()[c];
            }
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Floats per image: {@code height * width * 3}. */
    public int imageSize() {
        return height * width * 3;
    }

    /** One NHWC float batch for all crops, in order. */
    public float[] batch(List<BgrImage> crops) {
        float[] out = new float[crops.size() * imageSize()];
        for (int i = 0; i < crops.size(); i++) {
            write(crops.get(i), out, i * imageSize());
        }
        return out;
    }

    /** Writes one crop's {@code height*width*3} input values into {@code dst} from {@code offset}. */
    public void write(BgrImage crop, float[] dst, int offset) {
        BgrImage sized = resized(crop);
        byte[] px = sized.pixels();
        float[] r = lut[0];
        float[] g = lut[1];
        float[] b = lut[2];
        for (int i = 0, o = offset; i < px.length; i += 3, o += 3) {
            dst[o] = r[px[i + 2] & 0xff];
            dst[o + 1] = g[px[i + 1] & 0xff];
            dst[o + 2] = b[px[i] & 0xff];
        }
    }

    /** The crop at the input size (the same object when it already has that size). */
    public BgrImage resized(BgrImage crop) {
        if (crop.width() == width && crop.height() == height) {
            return crop;
        }
        boolean shrinking = crop.width() >= width && crop.height() >= height;
        try (Mat src = ImageMats.toMat(crop); Mat dst = new Mat(); Size size = new Size(width, height)) {
            resize(src, dst, size, 0, 0, shrinking ? INTER_AREA : INTER_LINEAR);
            return ImageMats.fromMat(dst);
        }
    }
}
