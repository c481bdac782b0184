package org.hematovision.segment;

import static org.bytedeco.opencv.global.opencv_core.CV_32S;
import static org.bytedeco.opencv.global.opencv_core.addWeighted;
import static org.bytedeco.opencv.global.opencv_core.bitwise_or;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_ELLIPSE;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_OPEN;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.connectedComponents;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.morphologyEx;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.hematovision.image.Box;

/**
 * Extent of a white cell's cytoplasm around its nucleus, from colour. White-cell cytoplasm (and the nucleus) is
 * bluer than red cells and background: in the <i>blueness</i> plane B - (G + R)/2 red cells sit below the field's
 * median, background at it, cytoplasm clearly above. The threshold is a fraction of the nucleus's own blueness
 * above the median, so it follows the stain's strength and the image's contrast. The cell is the connected
 * blue region that contains the nucleus, looked for only within {@code reachPx} of the nucleus (a cell never
 * reaches further, and touching blue objects stay out); its extent is taken after trimming the outermost
 * {@value #TRIM} of its pixels on each side, so a thin leak does not stretch the box.
 *
 * <p>Where the blue regions of several nuclei touch, each nucleus gets two extents: the whole shared region (which
 * tells the lobes of one cell, see {@link ClassicalSegmenter}) and its own part, the pixels nearer to it than to any
 * other nucleus of that region (the box of a cell that stays on its own does not reach into its neighbour).
 *
 * <p>Mats are created in the caller's {@code PointerScope}.
 */
final class CytoplasmExtent {

    /** Fraction of the region's pixels ignored on each side when taking its extent. */
    static final double TRIM = 0.01;

    private CytoplasmExtent() {
    }

    /**
     * The extents found for one nucleus (working pixels), each containing at least the nucleus box.
     *
     * @param shared the blue region the nucleus lies in, as far as it reaches
     * @param own    the part of it nearer to this nucleus than to the other nuclei in the region
     */
    record Extent(Box shared, Box own) {
    }

    /**
     * Cell extents, one per nucleus box (working pixels), each containing at least its nucleus box.
     *
     * @param nucleus   nucleus mask (8-bit, 0/255)
     * @param blueness  fraction of the nucleus's blueness above the field median that counts as cytoplasm
     * @param reachPx   how far beyond the nucleus box the cytoplasm may reach
     */
    static List<Extent> extents(Mat blue, Mat green, Mat red, Mat nucleus, List<Box> nuclei, double blueness,
                             int reachPx) {
        if (nuclei.isEmpty()) {
            return List.of();
        }
        int w = blue.cols();
        int h = blue.rows();
        Mat greenRed = new Mat();
        addWeighted(green, 0.5, red, 0.5, 0.0, greenRed);
        Mat q = new Mat();
        addWeighted(blue, 1.0, greenRed, -1.0, 128.0, q);
        byte[] qPx = new byte[w * h];
        q.data().get(qPx);
        byte[] nuPx = new byte[w * h];
        nucleus.data().get(nuPx);
        int[] all = new int[256];
        int[] inNucleus = new int[256];
        for (int i = 0; i < qPx.length; i++) {
            all[qPx[i] & 0xff]++;
            if (nuPx[i] != 0) {
                inNucleus[qPx[i] & 0xff]++;
            }
        }
        int fieldMedian = median(all);
        int nucleusMedian = median(inNucleus);
        double t = fieldMedian + Math.max(1.0, blueness * (nucleusMedian - fieldMedian));
        Mat cell = new Mat();
        threshold(q, cell, Math.min(254, t), 255, THRESH_BINARY);
        bitwise_or(cell, nucleus, cell);
        // Single blue pixels between red cells (chromatic fringes) must not bridge the cell to its neighbours.
        morphologyEx(cell, cell, MORPH_OPEN, getStructuringElement(MORPH_ELLIPSE, new Size(3, 3)));
        Mat labels = new Mat();
        connectedComponents(cell, labels, 8, CV_32S);
        int[] lab = new int[w * h];
        ((IntBuffer) labels.createBuffer()).get(lab);

        List<Set<Integer>> regions = new ArrayList<>(nuclei.size());
        for (Box nb : nuclei) {
            Set<Integer> ids = new HashSet<>();
            for (int y = nb.y(); y < nb.bottom(); y++) {
                for (int x = nb.x(), i = y * w + x; x < nb.right(); x++, i++) {
                    if (nuPx[i] != 0 && lab[i] > 0) {
                        ids.add(lab[i]);
                    }
                }
            }
            regions.add(ids);
        }
        List<Extent> out = new ArrayList<>(nuclei.size());
        for (int n = 0; n < nuclei.size(); n++) {
            Box nb = nuclei.get(n);
            Set<Integer> ids = regions.get(n);
            // The other nuclei in the same blue region: its pixels are shared out by distance to them.
            List<Box> rivals = new ArrayList<>();
            for (int o = 0; o < nuclei.size(); o++) {
                if (o != n && !Collections.disjoint(ids, regions.get(o))) {
                    rivals.add(nuclei.get(o));
                }
            }
            Box win = Box.ofCorners(Math.max(0, nb.x() - reachPx), Math.max(0, nb.y() - reachPx),
                    Math.min(w, nb.right() + reachPx), Math.min(h, nb.bottom() + reachPx));
            int[] cols = new int[win.width()];
            int[] rows = new int[win.height()];
            int[] ownCols = new int[win.width()];
            int[] ownRows = new int[win.height()];
            int total = 0;
            int ownTotal = 0;
            for (int y = win.y(); y < win.bottom(); y++) {
                for (int x = win.x(), i = y * w + x; x < win.right(); x++, i++) {
                    if (lab[i] > 0 && ids.contains(lab[i])) {
                        cols[x - win.x()]++;
                        rows[y - win.y()]++;
                        total++;
                        if (rivals.isEmpty() || nearest(nb, rivals, x, y)) {
                            ownCols[x - win.x()]++;
                            ownRows[y - win.y()]++;
                            ownTotal++;
                        }
                    }
                }
            }
            Box shared = extent(nb, win, cols, rows, total);
            out.add(new Extent(shared, rivals.isEmpty() ? shared : extent(nb, win, ownCols, ownRows, ownTotal)));
        }
        return out;
    }

    /** True when (x, y) lies at least as close to box {@code nb} as to every rival box. */
    private static boolean nearest(Box nb, List<Box> rivals, int x, int y) {
        long d = distance2(nb, x, y);
        for (Box r : rivals) {
            if (distance2(r, x, y) < d) {
                return false;
            }
        }
        return true;
    }

    private static long distance2(Box b, int x, int y) {
        long dx = Math.max(0, Math.max(b.x() - x, x - (b.right() - 1)));
        long dy = Math.max(0, Math.max(b.y() - y, y - (b.bottom() - 1)));
        return dx * dx + dy * dy;
    }

    /** The trimmed extent of the counted pixels in window {@code win}, at least the nucleus box. */
    private static Box extent(Box nb, Box win, int[] cols, int[] rows, int total) {
        if (total == 0) {
            return nb;
        }
        double cut = TRIM * total;
        return Box.ofCorners(Math.min(nb.x(), win.x() + first(cols, cut)),
                Math.min(nb.y(), win.y() + first(rows, cut)),
                Math.max(nb.right(), win.x() + last(cols, cut) + 1),
                Math.max(nb.bottom(), win.y() + last(rows, cut) + 1));
    }

    /** First index where the running sum from the start exceeds {@code cut}. */
    private static int first(int[] counts, double cut) {
        double acc = 0;
        for (int i = 0; i < counts.length; i++) {
            acc += counts[i];
            if (acc > cut) {
                return i;
            }
        }
        return 0;
    }

    /** Last index where the running sum from the end exceeds {@code cut}. */
    private static int last(int[] counts, double cut) {
        double acc = 0;
        for (int i = counts.length - 1; i >= 0; i--) {
            acc += counts[i];
            if (acc > cut) {
                return i;
            }
        }
        return counts.length - 1;
    }

    private static int median(int[] hist) {
        int n = 0;
        for (int c : hist) {
            n += c;
        }
        int acc = 0;
        for (int v = 0; v < hist.length; v++) {
            acc += hist[v];
            if (acc > n / 2) {
                return v;
            }
        }
        return hist.length - 1;
    }
}
