package org.hematovision.capture.synthetic;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.hematovision.capture.Frame;
import org.hematovision.capture.FrameSource;
import org.hematovision.image.BgrImage;
import org.hematovision.image.ImageMats;

/**
 * A virtual camera over a synthetic slide, with ground truth for every frame.
 *
 * <p>{@code LIVE}: field 0 is shown still first; then for each next field the slide pans from the
 * previous field to it ({@code panFrames} motion-blurred frames), then holds ({@code holdFrames} frames
 * differing only by sensor noise). A hold reached by a pan may contain a defocus: {@code defocusFrames}
 * blurred frames starting in its first third (focus hunting or drift after the move), then sharp again;
 * the first field, where the operator starts in focus, never does. {@code STILLS}: every
 * frame is a new field. Everything is deterministic per seed.
 */
public final class SyntheticSource implements FrameSource {

    /** What a frame shows. */
    public enum Phase { PAN, HOLD, DEFOCUS }

    /**
     * Ground truth of one frame.
     *
     * @param frameIndex  index of the frame
     * @param phase       moving, still and sharp, or still but defocused
     * @param fieldNumber the field shown (during a pan: the field being moved to)
     */
    public record FrameTruth(long frameIndex, Phase phase, long fieldNumber) {
    }

    /** Layout of one field's frames; {@code defocusStart} is -1 without a defocus. */
    private record Segment(long fieldNumber, long firstFrame, int pan, int hold, int defocusStart, int defocusLength) {
        long end() {
            return firstFrame + pan + hold;
        }
    }

    private static final int FIELD_CACHE = 8;

    private final SyntheticSmear smear;
    private final SyntheticSourceConfig config;
    private final long seed;
    private final Random noise;
    private final Map<Long, SyntheticField> slides = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, SyntheticField> eldest) {
            return size() > FIELD_CACHE; // older fields are regenerated on demand (deterministic)
        }
    };
    private long nextIndex;
    private boolean closed;

    public SyntheticSource(SyntheticSmear smear, SyntheticSourceConfig config, long seed) {
        this.smear = smear;
        this.config = config;
        this.seed = seed;
        this.noise = new Random(seed * 31 + 7);
    }

    @Override
    public Optional<Frame> next() {
        if (closed || (config.maxFrames() > 0 && nextIndex >= config.maxFrames())) {
            return Optional.empty();
        }
        long index = nextIndex++;
        long nanos = index * 1_000_000_000L / config.fps();
        if (config.mode() == SyntheticSourceConfig.Mode.STILLS) {
            return Optional.of(new Frame(index, nanos, smear.generate(fieldSeed(index)).image()));
        }
        FrameTruth truth = truthAt(index);
        Segment s = segmentOf(index);
        int offset = (int) (index - s.firstFrame());
        BgrImage view;
        if (truth.phase() == Phase.PAN) {
            view = panView(s.fieldNumber(), offset + 1, s.pan() + 1);
        } else {
            view = slide(s.fieldNumber()).image();
            if (truth.phase() == Phase.DEFOCUS) {
                view = SyntheticSmear.blur(view, config.defocusSigmaPx());
            }
        }
        return Optional.of(new Frame(index, nanos, smear.camera(view, noise)));
    }

    /** The truth of a frame index (also of frames not yet delivered). */
    public FrameTruth truthAt(long frameIndex) {
        if (config.mode() == SyntheticSourceConfig.Mode.STILLS) {
            return new FrameTruth(frameIndex, Phase.HOLD, frameIndex);
        }
        Segment s = segmentOf(frameIndex);
        int offset = (int) (frameIndex - s.firstFrame());
        if (offset < s.pan()) {
            return new FrameTruth(frameIndex, Phase.PAN, s.fieldNumber());
        }
        int holdOffset = offset - s.pan();
        boolean defocused = s.defocusStart() >= 0 && holdOffset >= s.defocusStart()
                && holdOffset < s.defocusStart() + s.defocusLength();
        return new FrameTruth(frameIndex, defocused ? Phase.DEFOCUS : Phase.HOLD, s.fieldNumber());
    }

    /** The field a frame shows, with its cells, or empty while the slide is moving. */
    public Optional<SyntheticField> truthOf(Frame frame) {
        FrameTruth t = truthAt(frame.index());
        return t.phase() == Phase.PAN ? Optional.empty() : Optional.of(field(t.fieldNumber()));
    }

    /** Field {@code n} as a still capture would show it (same cells as the live frames; fresh noise). */
    public SyntheticField field(long n) {
        return config.mode() == SyntheticSourceConfig.Mode.STILLS ? smear.generate(fieldSeed(n)) : slide(n);
    }

    private SyntheticField slide(long n) {
        return slides.computeIfAbsent(n, k -> smear.renderSlide(fieldSeed(k)));
    }

    /**
     * The segment (pan, then hold) showing a frame. Field 0 is a hold alone and every later field a pan
     * and a hold of fixed lengths, so it follows from the index: nothing is kept per field, which a
     * months-long LIVE run would otherwise accumulate.
     */
    private Segment segmentOf(long frameIndex) {
        long hold = config.holdFrames();
        long pan = config.panFrames();
        long n = frameIndex < hold ? 0 : 1 + (frameIndex - hold) / (pan + hold);
        long first = n == 0 ? 0 : hold + (n - 1) * (pan + hold);
        Random r = new Random(fieldSeed(n) ^ 0xDEF0C05L);
        int defocusStart = -1;
        // Focus is lost when the stage moves (hunting, drift), so only holds reached by a pan defocus.
        if (n > 0 && r.nextDouble() < config.defocusProbability()) {
            int latest = Math.max(0, Math.min(config.holdFrames() / 3, config.holdFrames() - config.defocusFrames()));
            defocusStart = r.nextInt(latest + 1);
        }
        return new Segment(n, first, n == 0 ? 0 : config.panFrames(), config.holdFrames(), defocusStart,
                config.defocusFrames());
    }

    /** Step {@code step} of {@code steps} on the way from field n-1 to field n, blurred along the motion. */
    private BgrImage panView(long n, int step, int steps) {
        BgrImage from = slide(n - 1).image();
        BgrImage to = slide(n).image();
        int w = from.width();
        int h = from.height();
        Random dir = new Random(fieldSeed(n) ^ 0x9A7L);
        int direction = dir.nextInt(4); // slide moves left, right, up or down
        boolean horizontal = direction < 2;
        int extent = horizontal ? w : h;
        int shift = (int) Math.round((double) extent * step / steps);
        byte[] out = new byte[w * h * 3];
        byte[] a = from.pixels();
        byte[] b = to.pixels();
        if (horizontal) {
            // Strip [from | to] (or [to | from]) seen through a window at offset shift (or extent - shift).
            boolean forward = direction == 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int sx = forward ? x + shift : x - shift;
                    byte[] src = forward ? (sx < w ? a : b) : (sx >= 0 ? a : b);
                    int xx = forward ? (sx < w ? sx : sx - w) : (sx >= 0 ? sx : sx + w);
                    System.arraycopy(src, (y * w + xx) * 3, out, (y * w + x) * 3, 3);
                }
            }
        } else {
            boolean forward = direction == 2;
            for (int y = 0; y < h; y++) {
                int sy = forward ? y + shift : y - shift;
                byte[] src = forward ? (sy < h ? a : b) : (sy >= 0 ? a : b);
                int yy = forward ? (sy < h ? sy : sy - h) : (sy >= 0 ? sy : sy + h);
                System.arraycopy(src, yy * w * 3, out, y * w * 3, w * 3);
            }
        }
        // Motion blur over half the distance travelled per frame (shutter open half the frame time).
        int streak = Math.max(3, (extent / steps) / 2) | 1;
        try (Mat m = ImageMats.toMat(new BgrImage(w, h, out)); Mat blurred = new Mat();
             Size k = horizontal ? new Size(streak, 1) : new Size(1, streak)) {
            opencv_imgproc.blur(m, blurred, k);
            return ImageMats.fromMat(blurred);
        }
    }

    private long fieldSeed(long n) {
        long z = seed * 0x9E3779B97F4A7C15L + n * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public boolean framesAreFields() {
        return config.mode() == SyntheticSourceConfig.Mode.STILLS;
    }

    @Override
    public String description() {
        return "synthetic:" + seed + " " + config.mode().name().toLowerCase(java.util.Locale.ROOT) + " "
                + smear.params().width() + "x" + smear.params().height();
    }

    @Override
    public void close() {
        closed = true;
        slides.clear();
    }
}
