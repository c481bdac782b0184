package org.hematovision.eval.segmentation;

import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.hematovision.image.BgrImage;
import org.hematovision.image.ImageMats;

final class Blur {

    private Blur() {
    }

    static BgrImage gaussian(BgrImage img, double sigma) {
        try (PointerScope scope = new PointerScope()) {
            Mat src = ImageMats.toMat(img);
            Mat dst = new Mat();
            GaussianBlur(src, dst, new Size(0, 0), sigma);
            return ImageMats.fromMat(dst);
        }
    }
}
