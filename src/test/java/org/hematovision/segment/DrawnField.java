package org.hematovision.segment;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.hematovision.image.BgrImage;
import org.hematovision.image.ImageMats;

/** A smear field drawn with OpenCV in BCCD-like colours, for tests that need exact geometry. */
final class DrawnField {

    /** Colours as B, G, R (plain values: the native Scalars are made inside the render scope). */
    static final double[] BACKGROUND = {222, 226, 220};
    static final double[] RED_CELL = {150, 150, 178};
    static final double[] CYTOPLASM = {206, 190, 200};
    static final double[] NUCLEUS = {205, 120, 140};

    private final int width;
    private final int height;
    private final List<Runnable> ops = new ArrayList<>();
    private Mat target;

    DrawnField(int width, int height) {
        this.width = width;
        this.height = height;
    }

    /** Red cells of {@code diameter} px on a grid, skipping spots closer than {@code keepOut} to any of {@code avoid}. */
    DrawnField redCells(int diameter, int[][] avoid, int keepOut) {
        int step = (int) Math.round(diameter * 1.35);
        for (int y = diameter / 2 + 4; y < height - diameter / 2; y += step) {
            for (int x = diameter / 2 + 4; x < width - diameter / 2; x += step) {
                boolean free = true;
                for (int[] a : avoid) {
                    if (Math.hypot(a[0] - x, a[1] - y) < keepOut) {
                        free = false;
                    }
                }
                if (free) {
                    disc(x, y, diameter / 2, RED_CELL);
                }
            }
        }
        return this;
    }

    DrawnField disc(int x, int y, int r, double[] colour) {
        ops.add(() -> circle(target, new Point(x, y), r, scalar(colour), -1, LINE_AA, 0));
        return this;
    }

    private static Scalar scalar(double[] bgr) {
        return new Scalar(bgr[0], bgr[1], bgr[2], 0);
    }

    BgrImage render() {
        try (PointerScope scope = new PointerScope()) {
            target = new Mat(height, width, CV_8UC3, scalar(BACKGROUND));
            ops.forEach(Runnable::run);
            Mat soft = new Mat();
            GaussianBlur(target, soft, new Size(3, 3), 0);
            return ImageMats.fromMat(soft);
        } finally {
            target = null;
        }
    }
}
