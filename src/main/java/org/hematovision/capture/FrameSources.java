package org.hematovision.capture;

import org.hematovision.capture.synthetic.SmearParams;
import org.hematovision.capture.synthetic.SyntheticSmear;
import org.hematovision.capture.synthetic.SyntheticSource;
import org.hematovision.capture.synthetic.SyntheticSourceConfig;

/** Opens the {@link FrameSource} a {@link SourceSpec} names. */
public final class FrameSources {

    private FrameSources() {
    }

    /**
     * Opens the source. Cameras open lazily and reconnect by themselves (a missing camera fails on the
     * first {@code next()} with its message, then keeps retrying); files and folders are checked here.
     * The synthetic camera uses the capture size and frame rate.
     */
    public static FrameSource open(SourceSpec spec, CaptureConfig config) throws CaptureException {
        if (spec instanceof SourceSpec.V4l2 v) {
            return V4l2Source.reconnecting(v.device(), config);
        } else if (spec instanceof SourceSpec.VideoFile f) {
            return VideoFileSource.open(f.file());
        } else if (spec instanceof SourceSpec.ImageFolder d) {
            return ImageFolderSource.open(d.directory());
        } else if (spec instanceof SourceSpec.Synthetic s) {
            return new SyntheticSource(
                    new SyntheticSmear(syntheticParams(config)),
                    new SyntheticSourceConfig(SyntheticSourceConfig.Mode.LIVE, SyntheticSourceConfig.DEFAULT_PAN_FRAMES,
                            SyntheticSourceConfig.DEFAULT_HOLD_FRAMES, SyntheticSourceConfig.DEFAULT_DEFOCUS_PROBABILITY,
                            SyntheticSourceConfig.DEFAULT_DEFOCUS_FRAMES, SyntheticSourceConfig.DEFAULT_DEFOCUS_SIGMA_PX,
                            0, config.fps()),
                    s.seed());
        }
        throw new IllegalArgumentException("unhandled source " + spec);
    }

    /** Default smear at the capture size, with the default cell density (counts scale with the area). */
    static SmearParams syntheticParams(CaptureConfig config) {
        SmearParams d = SmearParams.defaults();
        double area = (double) config.width() * config.height() / (d.width() * d.height());
        return d.withSize(config.width(), config.height()).withCounts(
                Math.max(1, (int) Math.round(d.wbcCount() * area)), (int) Math.round(d.rbcCount() * area),
                (int) Math.round(d.plateletCount() * area));
    }
}
