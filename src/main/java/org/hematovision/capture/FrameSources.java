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
                    new SyntheticSmear(SmearParams.defaults().withSize(config.width(), config.height())),
                    new SyntheticSourceConfig(SyntheticSourceConfig.Mode.LIVE, SyntheticSourceConfig.DEFAULT_PAN_FRAMES,
                            SyntheticSourceConfig.DEFAULT_HOLD_FRAMES, SyntheticSourceConfig.DEFAULT_DEFOCUS_PROBABILITY,
                            SyntheticSourceConfig.DEFAULT_DEFOCUS_FRAMES, SyntheticSourceConfig.DEFAULT_DEFOCUS_SIGMA_PX,
                            0, config.fps()),
                    s.seed());
        }
        throw new IllegalArgumentException("unhandled source " + spec);
    }
}
