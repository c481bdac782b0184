package org.hematovision.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/** Conversions between {@link BgrImage} (Java heap) and OpenCV {@link Mat} (native). */
public final class ImageMats {

    private ImageMats() {
    }

    /**
     * A new CV_8UC3 Mat holding a copy of the image. The caller owns it and must close it
     * (try-with-resources or a {@code PointerScope}).
     */
    public static Mat toMat(BgrImage image) {
        Mat mat = new Mat(image.height(), image.width(), CV_8UC3);
        mat.data().put(image.pixels());
        return mat;
    }

    /** A heap copy of a CV_8UC3 Mat (continuous or not). */
    public static BgrImage fromMat(Mat mat) {
        if (mat.type() != CV_8UC3) {
            throw new IllegalArgumentException("expected a CV_8UC3 Mat, got type " + mat.type());
        }
        int w = mat.cols();
        int h = mat.rows();
        byte[] out = new byte[w * h * 3];
        BytePointer data = mat.data();
        long step = mat.step();
        if (step == (long) w * 3) {
            data.get(out);
        } else {
            for (int row = 0; row < h; row++) {
                data.position(row * step).get(out, row * w * 3, w * 3);
            }
            data.position(0);
        }
        return new BgrImage(w, h, out);
    }
}
