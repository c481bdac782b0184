package org.hematovision.capture.synthetic;

import org.hematovision.config.ConfigException;

/**
 * How the synthetic camera moves over the slide (key prefix {@code synthetic.}).
 *
 * @param mode               {@code LIVE}: pan to a field, hold still, pan on; {@code STILLS}: each frame a new field
 * @param panFrames          frames spent moving from one field to the next (motion-blurred)
 * @param holdFrames         still frames shown of each field
 * @param defocusProbability chance that a hold contains a defocus (focus drift or hunting)
 * @param defocusFrames      length of a defocus in frames
 * @param defocusSigmaPx     blur of a defocused frame (Gaussian sigma in pixels)
 * @param maxFrames          frames before the source ends; 0 = never ends, like a camera
 * @param fps                frame rate used for timestamps
 */
public record SyntheticSourceConfig(Mode mode, int panFrames, int holdFrames, double defocusProbability,
                                    int defocusFrames, double defocusSigmaPx, long maxFrames, int fps) {

    public enum Mode { LIVE, STILLS }

    public static final int DEFAULT_PAN_FRAMES = 6;
    public static final int DEFAULT_HOLD_FRAMES = 12;
    public static final double DEFAULT_DEFOCUS_PROBABILITY = 0.3;
    public static final int DEFAULT_DEFOCUS_FRAMES = 3;
    public static final double DEFAULT_DEFOCUS_SIGMA_PX = 3.5;
    public static final int DEFAULT_FPS = 15;

    public SyntheticSourceConfig {
        if (mode == null) {
            throw new ConfigException("synthetic.mode", "missing (allowed: live, stills)");
        }
        ConfigException.requireRange("synthetic.panFrames", panFrames, 1, 1000);
        ConfigException.requireRange("synthetic.holdFrames", holdFrames, 1, 10_000);
        ConfigException.requireRange("synthetic.defocusProbability", defocusProbability, 0.0, 1.0);
        ConfigException.requireRange("synthetic.defocusFrames", defocusFrames, 1, 1000);
        ConfigException.requireRange("synthetic.defocusSigmaPx", defocusSigmaPx, 0.5, 30.0);
        ConfigException.requireRange("synthetic.fps", fps, 1, 1000);
        if (maxFrames < 0) {
            throw new ConfigException("synthetic.maxFrames", maxFrames + " is negative (allowed: 0 = unlimited, or a frame count)");
        }
        if (defocusProbability > 0 && defocusFrames >= holdFrames) {
            throw new ConfigException("synthetic.defocusFrames", defocusFrames + " must be shorter than synthetic.holdFrames "
                    + holdFrames + " so that every hold has sharp frames");
        }
    }

    public static SyntheticSourceConfig live() {
        return new SyntheticSourceConfig(Mode.LIVE, DEFAULT_PAN_FRAMES, DEFAULT_HOLD_FRAMES, DEFAULT_DEFOCUS_PROBABILITY,
                DEFAULT_DEFOCUS_FRAMES, DEFAULT_DEFOCUS_SIGMA_PX, 0, DEFAULT_FPS);
    }

    public static SyntheticSourceConfig stills() {
        return new SyntheticSourceConfig(Mode.STILLS, DEFAULT_PAN_FRAMES, DEFAULT_HOLD_FRAMES, 0,
                DEFAULT_DEFOCUS_FRAMES, DEFAULT_DEFOCUS_SIGMA_PX, 0, DEFAULT_FPS);
    }

    public SyntheticSourceConfig withMaxFrames(long max) {
        return new SyntheticSourceConfig(mode, panFrames, holdFrames, defocusProbability, defocusFrames, defocusSigmaPx,
                max, fps);
    }

    public SyntheticSourceConfig withPhases(int pan, int hold, double defocusP, int defocus) {
        return new SyntheticSourceConfig(mode, pan, hold, defocusP, defocus, defocusSigmaPx, maxFrames, fps);
    }
}
