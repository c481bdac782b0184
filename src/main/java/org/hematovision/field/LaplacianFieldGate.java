package org.hematovision.field;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;

import java.util.EnumMap;
import java.util.Map;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.hematovision.capture.Frame;
import org.hematovision.capture.FrameSource;
import org.hematovision.image.BgrImage;
import org.hematovision.image.ImageMats;

/**
 * The field gate: measures focus, exposure and motion on a scaled-down grey copy of each frame.
 *
 * <p>Live sources (a moving slide): a frame differing from the previous one by more than
 * {@code motionThreshold} is MOVING and restarts the count of still frames. A field is analysed on the
 * {@code settleFrames}-th consecutive still frame that is also well exposed and sharp; later frames of
 * the same still view are ALREADY_ANALYSED until motion is seen. A defocused hold is never analysed:
 * while blurred its frames are BLURRED, and once focus returns (the change itself may register as
 * motion) the field settles again and is analysed then. To keep "once per field" through such focus
 * breathing, a slight nudge, a lamp or exposure step, or a return to a field seen a moment ago, a newly
 * settled view whose coarse thumbnail matches one of the last {@value #REMEMBERED_FIELDS} fields analysed
 * is ALREADY_ANALYSED rather than a new field: thumbnails are compared with their mean brightness taken
 * out and at the best of small shifts (up to a fifth of each side, across and down, so that views
 * overlapping by four fifths or more in each direction count once). Fields accepted while no sample is
 * open are not remembered ({@link #fieldNotCounted()}). A drift too slow to register between two frames is not followed: nothing new is
 * analysed until the slide moves, which costs fields but never counts a cell twice.
 *
 * <p>Focus: the variance of the Laplacian alone depends on content (a sparse field has little edge) and
 * on magnification, so no absolute threshold suits every slide. The gate judges <i>sharpness</i> =
 * var(Laplacian) / var(grey), which cancels stain density and contrast, against two limits: a low
 * absolute floor ({@code minSharpness}) that only rejects heavy blur, and {@code relativeSharpness}
 * times a reference: the peak sharpness of recent still, well-exposed frames, halving over
 * {@code focusMemoryFrames} frames so that it follows a change of slide or objective. Until a sharp
 * frame has been seen only the floor applies.
 *
 * <p>Still sources ({@link FrameSource#framesAreFields()}): every frame is its own field and is judged
 * on exposure and the absolute focus floors only.
 */
public final class LaplacianFieldGate implements FieldGate {

    /** Thumbnail width for the same-field check: coarse enough that blur and noise vanish, cells do not. */
    private static final int THUMB_WIDTH = 40;
    /** Analysed fields remembered for the same-field check (going back to look at a cell again). */
    static final int REMEMBERED_FIELDS = 16;
    /** Largest shift, as a fraction of each side, at which two views still count as one field (a nudge). */
    static final double MAX_SHIFT_FRACTION = 0.2;

    private final GateConfig config;
    private final boolean framesAreFields;
    private final double referenceDecay;
    private final Map<SkipReason, Long> skips = new EnumMap<>(SkipReason.class);
    private byte[] previous;
    /** Thumbnails (mean brightness removed) of the last analysed fields, newest last. */
    private final java.util.ArrayDeque<Thumb> analysedThumbs = new java.util.ArrayDeque<>();
    private double sharpnessReference;
    private int stillFrames;
    private boolean analysedThisStill;
    /** The thumbnail the last accepted field added to {@link #analysedThumbs}, until the next frame. */
    private Thumb lastAdded;
    private long fields;

    public LaplacianFieldGate(GateConfig config, boolean framesAreFields) {
        this.config = config;
        this.framesAreFields = framesAreFields;
        this.referenceDecay = Math.pow(0.5, 1.0 / config.focusMemoryFrames());
        for (SkipReason r : SkipReason.values()) {
            skips.put(r, 0L);
        }
    }

    /** A gate suited to the source: motion-based for cameras and videos, per frame for still images. */
    public static LaplacianFieldGate forSource(FrameSource source, GateConfig config) {
        return new LaplacianFieldGate(config, source.framesAreFields());
    }

    /** What the gate measures on one image: plain values, no native memory. */
    record Measurement(double focus, double sharpness, double meanLuma, double saturatedFraction, byte[] grey,
                       int greyWidth, int greyHeight) {
    }

    @Override
    public GateDecision offer(Frame frame) {
        lastAdded = null;
        Measurement m = measure(frame.image(), config);
        double motion = framesAreFields || previous == null || previous.length != m.grey().length
                ? 0 : meanAbsDiff(previous, m.grey());
        previous = m.grey();
        FieldQuality q = new FieldQuality(m.focus(), m.meanLuma(), m.saturatedFraction(), motion);
        sharpnessReference *= referenceDecay;

        if (!framesAreFields && motion > config.motionThreshold()) {
            stillFrames = 0;
            analysedThisStill = false;
            return skip(SkipReason.MOVING, q);
        }
        // Only still frames that are also well exposed and sharp count towards settling, so a field is
        // analysed on the settleFrames-th such frame in a row, not on the first sharp one after a blur.
        stillFrames++;
        if (m.meanLuma() < config.minLuma()) {
            stillFrames = 0;
            return skip(SkipReason.DARK, q);
        }
        if (m.saturatedFraction() > config.maxSaturatedFraction() || m.meanLuma() > config.maxLuma()) {
            stillFrames = 0;
            return skip(SkipReason.SATURATED, q);
        }
        // Still images are unrelated views: comparing one's sharpness with another's says nothing,
        // so only the absolute floors apply to them.
        boolean floors = m.focus() >= config.minFocus() && m.sharpness() >= config.minSharpness();
        boolean sharp = floors && (framesAreFields || m.sharpness() >= config.relativeSharpness() * sharpnessReference);
        if (floors) {
            sharpnessReference = Math.max(sharpnessReference, m.sharpness());
        }
        if (!sharp) {
            stillFrames = 0;
            return skip(SkipReason.BLURRED, q);
        }
        if (framesAreFields) {
            return analyse(frame, q);
        }
        if (stillFrames < config.settleFrames()) {
            return skip(SkipReason.SETTLING, q);
        }
        if (analysedThisStill) {
            return skip(SkipReason.ALREADY_ANALYSED, q);
        }
        Thumb thumb = Thumb.of(m.grey(), m.greyWidth(), m.greyHeight());
        analysedThisStill = true;
        for (Thumb seen : analysedThumbs) {
            if (seen.distance(thumb) < config.sameFieldThreshold()) {
                return skip(SkipReason.ALREADY_ANALYSED, q);
            }
        }
        analysedThumbs.addLast(thumb);
        lastAdded = thumb;
        if (analysedThumbs.size() > REMEMBERED_FIELDS) {
            analysedThumbs.removeFirst();
        }
        return analyse(frame, q);
    }

    @Override
    public void fieldNotCounted() {
        if (lastAdded != null) {
            analysedThumbs.removeLastOccurrence(lastAdded);
            lastAdded = null;
        }
    }

    @Override
    public void holdCurrentView() {
        analysedThisStill = true;
    }

    /** A coarse thumbnail with its mean brightness subtracted, so that a lamp or exposure step does not count. */
    record Thumb(float[] values, int width, int height) {

        static Thumb of(byte[] grey, int w, int h) {
            float[] t = thumbnail(grey, w, h);
            double mean = 0;
            for (float v : t) {
                mean += v;
            }
            mean /= t.length;
            for (int i = 0; i < t.length; i++) {
                t[i] -= (float) mean;
            }
            int block = Math.max(1, w / THUMB_WIDTH);
            return new Thumb(t, w / block, Math.max(1, h / block));
        }

        /**
         * Mean absolute difference at the best shift (over the overlap) of up to {@link #MAX_SHIFT_FRACTION}
         * of each side: 8 blocks across and 4 down on a 16:9 frame's 40x22 thumbnail.
         */
        double distance(Thumb o) {
            if (o.width != width || o.height != height) {
                return Double.POSITIVE_INFINITY;
            }
            int maxDx = maxShift(width);
            int maxDy = maxShift(height);
            double best = Double.POSITIVE_INFINITY;
            for (int dy = -maxDy; dy <= maxDy; dy++) {
                for (int dx = -maxDx; dx <= maxDx; dx++) {
                    double sum = 0;
                    int n = 0;
                    for (int y = Math.max(0, -dy); y < Math.min(height, height - dy); y++) {
                        for (int x = Math.max(0, -dx); x < Math.min(width, width - dx); x++) {
                            sum += Math.abs(values[y * width + x] - o.values[(y + dy) * width + x + dx]);
                            n++;
                        }
                    }
                    if (n > 0) {
                        best = Math.min(best, sum / n);
                    }
                }
            }
            return best;
        }
    }

    /** The largest shift, in blocks, along a thumbnail side of {@code blocks} blocks. */
    static int maxShift(int blocks) {
        return (int) Math.round(MAX_SHIFT_FRACTION * blocks);
    }

    private GateDecision analyse(Frame frame, FieldQuality q) {
        return new GateDecision.Analyse(new Field(fields++, frame, q));
    }

    private GateDecision skip(SkipReason reason, FieldQuality q) {
        skips.merge(reason, 1L, Long::sum);
        return new GateDecision.Skip(reason, q);
    }

    @Override
    public Map<SkipReason, Long> skipCounts() {
        return new EnumMap<>(skips);
    }

    /** Fields accepted so far. */
    public long analysedCount() {
        return fields;
    }

    /** Measures one image; all Mats are closed before returning. */
    static Measurement measure(BgrImage image, GateConfig config) {
        int w = Math.min(config.analysisWidth(), image.width());
        int h = Math.max(1, (int) Math.round((double) image.height() * w / image.width()));
        try (Mat bgr = ImageMats.toMat(image); Mat small = new Mat(); Mat grey = new Mat(); Mat lap = new Mat();
             Mat mean = new Mat(); Mat std = new Mat(); Size size = new Size(w, h)) {
            // Scale the colour image first: resizing is the costly step and the grey conversion is then cheap.
            opencv_imgproc.resize(bgr, small, size, 0, 0, INTER_AREA);
            opencv_imgproc.cvtColor(small, grey, COLOR_BGR2GRAY);
            opencv_imgproc.Laplacian(grey, lap, CV_32F);
            opencv_core.meanStdDev(lap, mean, std);
            double lapSd;
            try (DoubleIndexer ix = std.createIndexer()) {
                lapSd = ix.get(0);
            }
            byte[] g = new byte[w * h];
            grey.data().get(g);
            long sum = 0;
            long sumSq = 0;
            int saturated = 0;
            for (byte b : g) {
                int v = b & 0xff;
                sum += v;
                sumSq += (long) v * v;
                if (v >= config.saturationLevel()) {
                    saturated++;
                }
            }
            int n = g.length;
            double meanLuma = (double) sum / n;
            double greyVar = Math.max(0, (double) sumSq / n - meanLuma * meanLuma);
            double focus = lapSd * lapSd;
            return new Measurement(focus, focus / (greyVar + 1.0), meanLuma, (double) saturated / n, g, w, h);
        }
    }

    private static double meanAbsDiff(byte[] a, byte[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return (double) sum / a.length;
    }

    /** Block means of the grey copy, about {@link #THUMB_WIDTH} wide. */
    static float[] thumbnail(byte[] grey, int w, int h) {
        int block = Math.max(1, w / THUMB_WIDTH);
        int tw = w / block;
        int th = Math.max(1, h / block);
        float[] t = new float[tw * th];
        for (int ty = 0; ty < th; ty++) {
            for (int tx = 0; tx < tw; tx++) {
                int s = 0;
                for (int y = ty * block; y < (ty + 1) * block && y < h; y++) {
                    for (int x = tx * block; x < (tx + 1) * block; x++) {
                        s += grey[y * w + x] & 0xff;
                    }
                }
                t[ty * tw + tx] = (float) s / (block * block);
            }
        }
        return t;
    }
}
