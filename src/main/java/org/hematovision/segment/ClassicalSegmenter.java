package org.hematovision.segment;

import static org.bytedeco.opencv.global.opencv_core.CV_32S;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.addWeighted;
import static org.bytedeco.opencv.global.opencv_core.bitwise_and;
import static org.bytedeco.opencv.global.opencv_core.bitwise_not;
import static org.bytedeco.opencv.global.opencv_core.split;
import static org.bytedeco.opencv.global.opencv_imgproc.CHAIN_APPROX_SIMPLE;
import static org.bytedeco.opencv.global.opencv_imgproc.DIST_L2;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_8;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_ELLIPSE;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_OPEN;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.RETR_EXTERNAL;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY_INV;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_OTSU;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.connectedComponents;
import static org.bytedeco.opencv.global.opencv_imgproc.dilate;
import static org.bytedeco.opencv.global.opencv_imgproc.distanceTransform;
import static org.bytedeco.opencv.global.opencv_imgproc.drawContours;
import static org.bytedeco.opencv.global.opencv_imgproc.findContours;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.morphologyEx;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.hematovision.image.BgrImage;
import org.hematovision.image.Box;
import org.hematovision.image.ImageMats;

/**
 * Classical segmentation of a stained blood-smear field (Romanowsky-type stains: nuclei blue-violet,
 * red cells pink, background pale).
 *
 * <ol>
 *   <li><b>Planes.</b> Nucleus stain = blue minus red (high only for the violet of nuclei and platelets, whatever
 *       the brightness); cell material = the green channel (haemoglobin and stain absorb green), Otsu-thresholded.</li>
 *   <li><b>Scale.</b> Red-cell mask = cell material minus nucleus stain, pallor holes filled; the largest
 *       inscribed-circle diameter (distance transform) of each red-cell blob estimates one cell's diameter even in
 *       clumps; the median over the field, with the red-cell diameter of {@link SegmenterConfig#redCellDiameterMicrons},
 *       gives micrometres per pixel. Every later size limit is in red-cell units, so no pixel size is configured.</li>
 *   <li><b>Nuclei.</b> Pixels whose stain lies {@link SegmenterConfig#nucleusContrast} above the field median;
 *       lobes closer than {@link SegmenterConfig#lobeGap} are grouped (dilate, label) into one nucleus.</li>
 *   <li><b>Sorting.</b> By stained area: platelets (small), white cells, and rejections (between platelet and
 *       nucleus size: debris; above the largest nucleus: smudge or clump), each rejection with its reason.</li>
 *   <li><b>White-cell box.</b> The cytoplasm's extent ({@link CytoplasmExtent}: the connected region bluer than red
 *       cells and background around the nucleus) plus {@link SegmenterConfig#cytoplasmMargin} of its size per side,
 *       clipped to the field; nuclei sharing most of one cytoplasm are one cell; a clipped box is {@code borderCut}.</li>
 *   <li><b>Red cells.</b> Distance-transform peaks of the red-cell mask (watershed markers) split touching cells.</li>
 *   <li><b>Crops.</b> {@link CropRule}: a square on the box centre of side 4.4 red-cell diameters (2.5 x the box when
 *       the scale is unknown), border replicated. Border-cut cells are cropped only when at least
 *       {@link SegmenterConfig#minVisibleFraction} of their box is inside the field.</li>
 * </ol>
 * All native memory lives in one {@link PointerScope} per call; only Java values leave {@link #segment}.
 */
public final class ClassicalSegmenter implements Segmenter {

    /** Below this many pixels a red-cell blob is noise, whatever the scale. */
    private static final int MIN_RED_CELL_RADIUS_PX = 3;
    /** Red cells must span at least this many working pixels for the shapes to be measured well. */
    private static final double MIN_WORKING_RED_CELL_PX = 24;
    /** Fields smaller than twice this (shorter side) are never downsampled. */
    private static final int MIN_WORKING_SIDE_PX = 160;
    /** Stained specks smaller than this fraction of a red-cell disc are neither platelets nor debris: ignored. */
    private static final double MIN_SPECK_AREA = 0.01;
    /** Largest blob area, in inscribed-disc areas, still used for the scale (one disc = 1, a clump of a few ~3-5). */
    private static final double MAX_SPREAD = 6.0;
    /** Blob radius above this multiple of the peak radius means fused clumps: the peak radius is used instead. */
    private static final double CLUMP_RATIO = 1.3;
    /** Window of the local-maximum test on the working-resolution distance map. */
    private static final int PEAK_WINDOW_PX = 13;
    /** Weighted quantile of the per-blob radii taken as the red-cell radius (the weighted median). */
    private static final double SCALE_QUANTILE = 0.5;
    /** Overlap of two cell extents, as a fraction of the smaller, above which both nuclei belong to one cell. */
    private static final double SHARED_CYTOPLASM = 0.5;
    /**
     * Two nuclei sharing cytoplasm are one cell only if their cells' joint extent is roughly round: the lobes
     * of one cell give a round union, two small cells touching side by side one about twice as long as wide.
     */
    private static final double MAX_MERGED_ASPECT = 1.5;

    private final SegmenterConfig config;

    public ClassicalSegmenter(SegmenterConfig config) {
        this.config = config;
    }

    public SegmenterConfig config() {
        return config;
    }

    @Override
    public Segmentation segment(BgrImage field) {
        return segment(field, ScaleHint.none());
    }

    /**
     * Segments a field with the slide's scale at hand: the field's own red-cell estimate is used when it agrees with
     * the slide's (within {@link ScaleHint#tolerance()}), the slide's otherwise or when the field measured none.
     */
    @Override
    public Segmentation segment(BgrImage field, ScaleHint slideScale) {
        java.util.Objects.requireNonNull(slideScale, "slideScale");
        try (PointerScope scope = new PointerScope()) {
            Mat bgr = ImageMats.toMat(field);
            // Work at half resolution when red cells stay large enough there (4x fewer pixels); otherwise, or when
            // the scale cannot be measured, at full resolution.
            int factor = Math.min(field.width(), field.height()) >= 2 * MIN_WORKING_SIDE_PX ? 2 : 1;
            while (true) {
                Analysis a = analyse(bgr, factor, slideScale);
                if (factor == 1 || (a.scaleKnown() && a.redCellDiameterPx() / factor >= MIN_WORKING_RED_CELL_PX)) {
                    return assemble(field, a);
                }
                factor = 1;
            }
        }
    }

    /**
     * What the pixel stages found, in field coordinates.
     *
     * @param blobs             nucleus-stained groups (lobes joined)
     * @param redCellPeaks      red-cell centres and inscribed radii {x, y, r}
     * @param redCellDiameterPx red-cell diameter used (the field's or the slide's), or the fallback when
     *                          {@code scaleKnown} is false
     * @param micronsPerPixel   the scale used (NaN when {@code scaleKnown} is false)
     * @param fieldMicronsPerPixel the field's own estimate, NaN when too few red cells were measured
     */
    record Analysis(List<StainedBlob> blobs, List<float[]> redCellPeaks, double redCellDiameterPx,
                    boolean scaleKnown, double micronsPerPixel, double fieldMicronsPerPixel) {
    }

    private Analysis analyse(Mat fullBgr, int factor, ScaleHint slideScale) {
        try (PointerScope scope = new PointerScope()) {
            Mat bgr = fullBgr;
            if (factor > 1) {
                bgr = new Mat();
                resize(fullBgr, bgr, new Size(fullBgr.cols() / factor, fullBgr.rows() / factor), 0, 0, INTER_AREA);
            }
            int w = bgr.cols();
            int h = bgr.rows();
            Mat smooth = new Mat();
            int k = factor > 1 ? 3 : 5;
            GaussianBlur(bgr, smooth, new Size(k, k), 0);
            MatVector ch = new MatVector();
            split(smooth, ch);
            Mat blue = ch.get(0);
            Mat green = ch.get(1);
            Mat red = ch.get(2);

            // Nucleus stain: blue - red, offset so both signs fit in 8 bits; relative to the field's median so a
            // brightness or white-balance change moves the threshold with it.
            Mat stain = new Mat();
            addWeighted(blue, 1.0, red, -1.0, 128.0, stain);
            byte[] stainPx = bytes(stain, w * h);
            int stainMedian = median(stainPx);
            double stainThreshold = Math.min(254, stainMedian + config.nucleusContrast());
            // Cell material: darker than the background in green.
            Mat cells = new Mat();
            threshold(green, cells, 0, 255, THRESH_BINARY_INV | THRESH_OTSU);
            // Nuclei are violet and dark; pale blue cytoplasm (lymphocytes, monocytes) is violet-ish but light.
            Mat nucleus = new Mat();
            threshold(stain, nucleus, stainThreshold, 255, THRESH_BINARY);
            bitwise_and(nucleus, cells, nucleus);
            morphologyEx(nucleus, nucleus, MORPH_OPEN, getStructuringElement(MORPH_ELLIPSE, new Size(3, 3)));
            // Fill the pale centres of red cells first, then cut the nuclei out again.
            Mat filled = fillHoles(cells);
            Mat notNucleus = new Mat();
            bitwise_not(nucleus, notNucleus);
            bitwise_and(filled, notNucleus, filled);

            RedCells redCells = redCells(filled, w, h);
            // The field's own scale (in field pixels), then the one to use given the slide's.
            double fieldMpp = redCells.measured() >= config.minRedCellsForScale()
                    ? config.redCellDiameterMicrons() / (redCells.diameterPx() * factor) : Double.NaN;
            double usedMpp = slideScale.choose(fieldMpp);
            boolean scaleKnown = !Double.isNaN(usedMpp);
            double rbcPx = scaleKnown ? config.redCellDiameterMicrons() / usedMpp / factor
                    : config.fallbackRedCellFraction() * w;
            List<float[]> redPeaks = Double.isNaN(redCells.diameterPx()) ? List.of()
                    : peaks(redCells.dist(), redCells.d(), w, h, (scaleKnown ? rbcPx : redCells.diameterPx()) / 2);
            List<StainedBlob> blobs = withCytoplasm(stainedBlobs(nucleus, stainPx, stainMedian, rbcPx, w, h),
                    blue, green, red, nucleus, rbcPx);
            if (factor == 1) {
                return new Analysis(blobs, redPeaks, rbcPx, scaleKnown, usedMpp, fieldMpp);
            }
            List<StainedBlob> up = blobs.stream().map(b -> new StainedBlob(scaled(b.box(), factor),
                    b.area() * factor * factor, b.contrast(), scaled(b.cell(), factor), scaled(b.region(), factor)))
                    .toList();
            List<float[]> peaks = redPeaks.stream()
                    .map(p -> new float[] {p[0] * factor + (factor - 1) / 2f, p[1] * factor + (factor - 1) / 2f,
                            p[2] * factor}).toList();
            return new Analysis(up, peaks, rbcPx * factor, scaleKnown, usedMpp, fieldMpp);
        }
    }

    private static Box scaled(Box b, int factor) {
        return new Box(b.x() * factor, b.y() * factor, b.width() * factor, b.height() * factor);
    }

    /**
     * One connected group of nucleus-stained pixels (after grouping lobes); contrast = mean stain above the field
     * median; {@code cell} = the extent of its cytoplasm for nucleus-sized groups, else the group's own box;
     * {@code region} = the whole blue region it shares with touching nuclei ({@link CytoplasmExtent.Extent}), used
     * to tell lobes of one cell.
     */
    record StainedBlob(Box box, int area, double contrast, Box cell, Box region) {

        StainedBlob(Box box, int area, double contrast, Box cell) {
            this(box, area, contrast, cell, cell);
        }
    }

    /** Adds the cytoplasm extent ({@link CytoplasmExtent}) to the groups that are sized like a white-cell nucleus. */
    private List<StainedBlob> withCytoplasm(List<StainedBlob> blobs, Mat blue, Mat green, Mat red, Mat nucleus,
                                            double rbcPx) {
        double disc = Math.PI * rbcPx * rbcPx / 4.0;
        List<Box> nuclei = new ArrayList<>();
        for (StainedBlob b : blobs) {
            if (isNucleusSized(b.area() / disc)) {
                nuclei.add(b.box());
            }
        }
        List<CytoplasmExtent.Extent> cells = CytoplasmExtent.extents(blue, green, red, nucleus, nuclei,
                config.cytoplasmBlueness(),
                (int) Math.round(config.cytoplasmReach() * rbcPx));
        List<StainedBlob> out = new ArrayList<>(blobs.size());
        int next = 0;
        for (StainedBlob b : blobs) {
            if (isNucleusSized(b.area() / disc)) {
                CytoplasmExtent.Extent e = cells.get(next++);
                out.add(new StainedBlob(b.box(), b.area(), b.contrast(), e.own(), e.shared()));
            } else {
                out.add(new StainedBlob(b.box(), b.area(), b.contrast(), b.box()));
            }
        }
        return out;
    }

    private boolean isNucleusSized(double discs) {
        return discs >= config.minNucleusArea() && discs <= config.maxNucleusArea();
    }

    /**
     * The red-cell mask's distance map (native and copied), the field's median red-cell diameter (NaN when no blob
     * could be measured) and how many cells that rests on.
     */
    record RedCells(Mat dist, float[] d, double diameterPx, int measured) {
    }

    private Segmentation assemble(BgrImage field, Analysis a) {
        int w = field.width();
        int h = field.height();
        List<StainedBlob> blobs = a.blobs();
        List<float[]> peaks = a.redCellPeaks();
        double rbcPx = a.redCellDiameterPx();
        boolean scaleKnown = a.scaleKnown();
        double micronsPerPixel = a.micronsPerPixel();
        double fieldMicronsPerPixel = a.fieldMicronsPerPixel();
        double disc = Math.PI * rbcPx * rbcPx / 4.0;
        List<CellRegion> white = new ArrayList<>();
        List<CellRegion> platelets = new ArrayList<>();
        List<Segmentation.Rejection> rejected = new ArrayList<>();
        List<StainedBlob> nuclei = new ArrayList<>();
        for (StainedBlob b : blobs) {
            double rel = b.area() / disc;
            if (rel < MIN_SPECK_AREA) {
                continue;
            }
            if (rel <= config.maxPlateletArea()) {
                platelets.add(new CellRegion(CellKind.PLATELET, b.box(), b.box().touchesBorder(w, h)));
            } else if (rel < config.minNucleusArea()) {
                rejected.add(new Segmentation.Rejection(b.box(), String.format(java.util.Locale.ROOT,
                        "debris: stained area %.2f red-cell discs, between platelet (<= %.2f) and nucleus (>= %.2f)",
                        rel, config.maxPlateletArea(), config.minNucleusArea())));
            } else if (rel > config.maxNucleusArea()) {
                rejected.add(new Segmentation.Rejection(b.box(), String.format(java.util.Locale.ROOT,
                        "smudge or clump: stained area %.2f red-cell discs, above one nucleus (<= %.2f)",
                        rel, config.maxNucleusArea())));
            } else {
                nuclei.add(b);
            }
        }
        for (StainedBlob b : mergeSharedCytoplasm(nuclei, rbcPx)) {
            // Relative to the cell, not the red cell: a wrong scale in one field then cannot inflate the box.
            int m = (int) Math.round(config.cytoplasmMargin() * (b.cell().width() + b.cell().height()) / 2.0);
            Box full = new Box(b.cell().x() - m, b.cell().y() - m, b.cell().width() + 2 * m, b.cell().height() + 2 * m);
            Box clipped = full.intersection(new Box(0, 0, w, h));
            boolean cut = clipped.area() < full.area() || b.box().touchesBorder(w, h);
            white.add(new CellRegion(CellKind.WBC, clipped, cut));
        }
        List<CellCrop> crops = new ArrayList<>();
        for (CellRegion c : white) {
            if (!c.borderCut() || visibleFraction(c.box()) >= config.minVisibleFraction()) {
                crops.add(new CellCrop(c, CropRule.cut(field, c.box(), scaleKnown ? rbcPx : Double.NaN)));
            }
        }
        List<CellRegion> red = new ArrayList<>();
        for (float[] p : peaks) {
            int cx = Math.round(p[0]);
            int cy = Math.round(p[1]);
            if (insideAny(white, cx, cy)) {
                continue;
            }
            int r = Math.round(p[2]);
            Box box = Box.ofCorners(cx - r, cy - r, cx + r + 1, cy + r + 1);
            Box clipped = box.intersection(new Box(0, 0, w, h));
            red.add(new CellRegion(CellKind.RBC, clipped, clipped.area() < box.area()));
        }
        return new Segmentation(white, red, platelets, crops, micronsPerPixel, rejected, fieldMicronsPerPixel);
    }

    /**
     * Nuclei whose cell extents mostly overlap lie in one cytoplasm: the lobes of one cell that the lobe gap did not
     * join (eosinophil lobes with granules between them). They are merged while the joint nucleus stays within
     * {@link SegmenterConfig#maxNucleusExtent}; two touching cells overlap only at their rims.
     */
    private List<StainedBlob> mergeSharedCytoplasm(List<StainedBlob> nuclei, double rbcPx) {
        List<StainedBlob> out = new ArrayList<>(nuclei);
        double maxExtent = config.maxNucleusExtent() * rbcPx;
        boolean merged = true;
        while (merged) {
            merged = false;
            for (int i = 0; i < out.size() && !merged; i++) {
                for (int j = i + 1; j < out.size() && !merged; j++) {
                    StainedBlob a = out.get(i);
                    StainedBlob b = out.get(j);
                    Box joint = union(a.box(), b.box());
                    double shared = a.region().intersection(b.region()).area();
                    Box cells = union(a.cell(), b.cell());
                    if (shared >= SHARED_CYTOPLASM * Math.min(a.region().area(), b.region().area())
                            && Math.max(joint.width(), joint.height()) <= maxExtent
                            && aspect(cells) <= MAX_MERGED_ASPECT) {
                        int area = a.area() + b.area();
                        out.set(i, new StainedBlob(joint, area,
                                (a.contrast() * a.area() + b.contrast() * b.area()) / area, union(a.cell(), b.cell()),
                                union(a.region(), b.region())));
                        out.remove(j);
                        merged = true;
                    }
                }
            }
        }
        return out;
    }

    /** Longer over shorter side: 1 for a square box. */
    private static double aspect(Box b) {
        return (double) Math.max(b.width(), b.height()) / Math.max(1, Math.min(b.width(), b.height()));
    }

    private static Box union(Box a, Box b) {
        return Box.ofCorners(Math.min(a.x(), b.x()), Math.min(a.y(), b.y()), Math.max(a.right(), b.right()),
                Math.max(a.bottom(), b.bottom()));
    }

    /**
     * Fraction of a border-cut cell visible in the field. A whole cell box is about as long as its longest visible
     * side (cells are roughly round), so the clipped side tells how much is missing.
     */
    private static double visibleFraction(Box clipped) {
        double full = Math.max(clipped.width(), clipped.height());
        return (clipped.width() / full) * (clipped.height() / full);
    }

    private static boolean insideAny(List<CellRegion> cells, int x, int y) {
        for (CellRegion c : cells) {
            Box b = c.box();
            if (x >= b.x() && x < b.right() && y >= b.y() && y < b.bottom()) {
                return true;
            }
        }
        return false;
    }

    private List<StainedBlob> stainedBlobs(Mat nucleus, byte[] stainPx, int stainMedian, double rbcPx, int w, int h) {
        // Lobes of one nucleus lie closer than lobeGap: dilating by half the gap joins them into one label.
        int gap = (int) Math.round(config.lobeGap() * rbcPx);
        Mat joined = nucleus;
        if (gap >= 2) {
            joined = new Mat();
            int k = gap | 1;
            dilate(nucleus, joined, getStructuringElement(MORPH_RECT, new Size(k, k)));
        }
        Mat groups = new Mat();
        int ng = connectedComponents(joined, groups, 8, CV_32S);
        if (ng <= 1) {
            return List.of();
        }
        Mat labels = new Mat();
        int n = connectedComponents(nucleus, labels, 8, CV_32S);
        int[] grp = new int[w * h];
        ((IntBuffer) groups.createBuffer()).get(grp);
        int[] lab = new int[w * h];
        ((IntBuffer) labels.createBuffer()).get(lab);
        int[] minX = new int[n];
        int[] minY = new int[n];
        int[] maxX = new int[n];
        int[] maxY = new int[n];
        int[] area = new int[n];
        int[] group = new int[n];
        long[] stainSum = new long[n];
        Arrays.fill(minX, Integer.MAX_VALUE);
        Arrays.fill(minY, Integer.MAX_VALUE);
        Arrays.fill(maxX, -1);
        Arrays.fill(maxY, -1);
        for (int y = 0, i = 0; y < h; y++) {
            for (int x = 0; x < w; x++, i++) {
                int l = lab[i];
                if (l == 0) {
                    continue;
                }
                area[l]++;
                group[l] = grp[i];
                stainSum[l] += stainPx[i] & 0xff;
                if (x < minX[l]) minX[l] = x;
                if (x > maxX[l]) maxX[l] = x;
                if (y < minY[l]) minY[l] = y;
                if (y > maxY[l]) maxY[l] = y;
            }
        }
        List<LobeGrouper.Lobe> lobes = new ArrayList<>();
        for (int l = 1; l < n; l++) {
            if (area[l] > 0) {
                lobes.add(new LobeGrouper.Lobe(Box.ofCorners(minX[l], minY[l], maxX[l] + 1, maxY[l] + 1), area[l],
                        stainSum[l], group[l]));
            }
        }
        List<StainedBlob> out = new ArrayList<>();
        int maxExtent = (int) Math.round(config.maxNucleusExtent() * rbcPx);
        for (LobeGrouper.Nucleus nu : LobeGrouper.group(lobes, gap, maxExtent)) {
            out.add(new StainedBlob(nu.box(), nu.area(), (double) nu.stainSum() / nu.area() - stainMedian, nu.box()));
        }
        return out;
    }

    private RedCells redCells(Mat filled, int w, int h) {
        Mat dist = new Mat();
        distanceTransform(filled, dist, DIST_L2, 3);
        Mat labels = new Mat();
        int n = connectedComponents(filled, labels, 8, CV_32S);
        float[] d = new float[w * h];
        ((FloatBuffer) dist.createBuffer()).get(d);
        int[] lab = new int[w * h];
        ((IntBuffer) labels.createBuffer()).get(lab);
        float[] maxD = new float[Math.max(n, 1)];
        for (int i = 0; i < d.length; i++) {
            int l = lab[i];
            if (l > 0 && d[i] > maxD[l]) {
                maxD[l] = d[i];
            }
        }
        int[] area = new int[Math.max(n, 1)];
        for (int l : lab) {
            area[l]++;
        }
        // Each blob's deepest point is one cell's inscribed radius, also in clumps of touching cells; weighting by
        // that cell's disc (not the blob's area, which would let big clumps decide) lets cells outvote specks. Sprawling networks (area far above the
        // inscribed disc) are left out: their deepest point is often where cells overlap.
        float[] radii = new float[n];
        double[] weights = new double[n];
        int m = 0;
        for (int l = 1; l < n; l++) {
            double spread = area[l] / (Math.PI * maxD[l] * maxD[l]);
            if (maxD[l] >= MIN_RED_CELL_RADIUS_PX && spread <= MAX_SPREAD) {
                radii[m] = maxD[l];
                weights[m] = (double) maxD[l] * maxD[l];
                m++;
            }
        }
        if (m == 0) {
            return new RedCells(dist, d, Double.NaN, 0);
        }
        double radius = weightedQuantile(Arrays.copyOf(radii, m), Arrays.copyOf(weights, m));
        // Fused clumps of overlapping cells inflate the blob radius; local distance peaks (one per cell bump)
        // are not fooled by them but read a little low. Trust the blob radius unless the peaks contradict it.
        double peak = peakRadius(dist, d, w, h);
        if (radius > CLUMP_RATIO * peak) {
            radius = peak;
        }
        // Cells measured: blob area in units of the estimated cell disc.
        double cellArea = Math.PI * radius * radius;
        int measured = 0;
        for (int i = 0; i < m; i++) {
            measured += (int) Math.max(1, Math.round(Math.PI * weights[i] / cellArea));
        }
        return new RedCells(dist, d, 2 * radius, measured);
    }

    /** Local maxima of the distance map at least 0.6 of a red-cell radius deep, one per cell (watershed markers). */
    private static List<float[]> peaks(Mat dist, float[] d, int w, int h, double radius) {
        int k = Math.max(3, (int) Math.round(radius) | 1);
        Mat dil = new Mat();
        dilate(dist, dil, getStructuringElement(MORPH_RECT, new Size(k, k)));
        float[] dd = new float[w * h];
        ((FloatBuffer) dil.createBuffer()).get(dd);
        float min = (float) Math.max(MIN_RED_CELL_RADIUS_PX, 0.6 * radius);
        List<float[]> out = new ArrayList<>();
        double sep2 = (radius * 0.8) * (radius * 0.8);
        for (int i = 0; i < d.length; i++) {
            if (d[i] >= min && d[i] >= dd[i]) {
                float x = i % w;
                float y = i / w;
                boolean dup = false;
                // Plateaus give several equal maxima: keep one per cell.
                for (float[] p : out) {
                    float dx = p[0] - x;
                    float dy = p[1] - y;
                    if (dx * dx + dy * dy < sep2) {
                        dup = true;
                        break;
                    }
                }
                if (!dup) {
                    out.add(new float[] {x, y, d[i]});
                }
            }
        }
        return out;
    }

    /** Weighted median of local distance-map maxima (window {@link #PEAK_WINDOW_PX}): the per-cell radius. */
    private static double peakRadius(Mat dist, float[] d, int w, int h) {
        Mat dil = new Mat();
        int k = PEAK_WINDOW_PX;
        dilate(dist, dil, getStructuringElement(MORPH_RECT, new Size(k, k)));
        float[] dd = new float[w * h];
        ((FloatBuffer) dil.createBuffer()).get(dd);
        float[] v = new float[w * h];
        double[] wt = new double[w * h];
        int m = 0;
        for (int i = 0; i < d.length; i++) {
            if (d[i] >= MIN_RED_CELL_RADIUS_PX && d[i] >= dd[i]) {
                v[m] = d[i];
                wt[m] = (double) d[i] * d[i];
                m++;
            }
        }
        return m == 0 ? Double.NaN : weightedQuantile(Arrays.copyOf(v, m), Arrays.copyOf(wt, m));
    }

    private static double weightedQuantile(float[] v, double[] wt) {
        Integer[] idx = new Integer[v.length];
        double total = 0;
        for (int i = 0; i < v.length; i++) {
            idx[i] = i;
            total += wt[i];
        }
        Arrays.sort(idx, (p, q) -> Float.compare(v[p], v[q]));
        double acc = 0;
        for (Integer i : idx) {
            acc += wt[i];
            if (acc >= total * SCALE_QUANTILE) {
                return v[i];
            }
        }
        return v[idx[idx.length - 1]];
    }

    private static Mat fillHoles(Mat mask) {
        MatVector contours = new MatVector();
        Mat copy = mask.clone();
        findContours(copy, contours, RETR_EXTERNAL, CHAIN_APPROX_SIMPLE);
        Mat filled = new Mat(mask.rows(), mask.cols(), CV_8U, new Scalar(0.0));
        drawContours(filled, contours, -1, new Scalar(255.0), FILLED, LINE_8, new Mat(), Integer.MAX_VALUE, new Point(0, 0));
        return filled;
    }

    private static byte[] bytes(Mat m, int n) {
        byte[] out = new byte[n];
        m.data().get(out);
        return out;
    }

    private static int median(byte[] px) {
        int[] hist = new int[256];
        for (byte b : px) {
            hist[b & 0xff]++;
        }
        int half = px.length / 2;
        int acc = 0;
        for (int v = 0; v < 256; v++) {
            acc += hist[v];
            if (acc > half) {
                return v;
            }
        }
        return 255;
    }
}
