package org.hematovision.field;

import org.hematovision.config.ConfigException;

/**
 * Field gate thresholds (key prefix {@code gate.}). Measurements are taken on a grey copy scaled down
 * to {@code analysisWidth} pixels wide, so thresholds hold across camera resolutions.
 *
 * @param analysisWidth        width of the grey copy the gate measures on
 * @param motionThreshold      mean absolute grey difference to the previous frame above which the slide
 *                             is moving (sensor noise stays well below 1 on the scaled copy)
 * @param settleFrames         consecutive still frames needed before a field is trusted
 * @param minFocus             absolute floor on the variance of the Laplacian (empty or blank views)
 * @param minSharpness         absolute floor on sharpness = variance of the Laplacian / variance of the
 *                             grey image, a contrast-independent measure of fine detail
 * @param relativeSharpness    a frame must reach this fraction of the recent sharpness reference
 * @param focusMemoryFrames    the reference (peak sharpness of recent still frames) halves over this many frames
 * @param minLuma              mean grey below this is too dark
 * @param maxLuma              mean grey above this is washed out (counted as saturated)
 * @param saturationLevel      grey level counted as clipped
 * @param maxSaturatedFraction fraction of clipped pixels above which the frame is overexposed
 * @param sameFieldThreshold   mean grey difference of coarse thumbnails below which a newly settled view
 *                             is the field analysed last (slide nudged, focus breathing): not analysed again
 */
public record GateConfig(int analysisWidth, double motionThreshold, int settleFrames, double minFocus,
                         double minSharpness, double relativeSharpness, int focusMemoryFrames, double minLuma,
                         double maxLuma, int saturationLevel, double maxSaturatedFraction, double sameFieldThreshold) {

    public static final int DEFAULT_ANALYSIS_WIDTH = 320;
    public static final double DEFAULT_MOTION_THRESHOLD = 2.0;
    public static final int DEFAULT_SETTLE_FRAMES = 3;
    public static final double DEFAULT_MIN_FOCUS = 2.0;
    public static final double DEFAULT_MIN_SHARPNESS = 0.02;
    public static final double DEFAULT_RELATIVE_SHARPNESS = 0.5;
    public static final int DEFAULT_FOCUS_MEMORY_FRAMES = 150;
    public static final double DEFAULT_MIN_LUMA = 40;
    public static final double DEFAULT_MAX_LUMA = 245;
    public static final int DEFAULT_SATURATION_LEVEL = 250;
    public static final double DEFAULT_MAX_SATURATED_FRACTION = 0.05;
    public static final double DEFAULT_SAME_FIELD_THRESHOLD = 6.0;

    public GateConfig {
        ConfigException.requireRange("gate.analysisWidth", analysisWidth, 64, 4096);
        ConfigException.requireRange("gate.motionThreshold", motionThreshold, 0.01, 255.0);
        ConfigException.requireRange("gate.settleFrames", settleFrames, 1, 1000);
        ConfigException.requireRange("gate.minFocus", minFocus, 0.0, 1e9);
        ConfigException.requireRange("gate.minSharpness", minSharpness, 0.0, 100.0);
        ConfigException.requireRange("gate.relativeSharpness", relativeSharpness, 0.0, 1.0);
        ConfigException.requireRange("gate.focusMemoryFrames", focusMemoryFrames, 1, 1_000_000);
        ConfigException.requireRange("gate.minLuma", minLuma, 0.0, 255.0);
        ConfigException.requireRange("gate.maxLuma", maxLuma, 0.0, 255.0);
        ConfigException.requireRange("gate.saturationLevel", saturationLevel, 1, 255);
        ConfigException.requireRange("gate.maxSaturatedFraction", maxSaturatedFraction, 0.0, 1.0);
        ConfigException.requireRange("gate.sameFieldThreshold", sameFieldThreshold, 0.0, 255.0);
        if (maxLuma <= minLuma) {
            throw new ConfigException("gate.maxLuma", maxLuma + " must be above gate.minLuma " + minLuma);
        }
    }

    public static GateConfig defaults() {
        return new GateConfig(DEFAULT_ANALYSIS_WIDTH, DEFAULT_MOTION_THRESHOLD, DEFAULT_SETTLE_FRAMES, DEFAULT_MIN_FOCUS,
                DEFAULT_MIN_SHARPNESS, DEFAULT_RELATIVE_SHARPNESS, DEFAULT_FOCUS_MEMORY_FRAMES, DEFAULT_MIN_LUMA,
                DEFAULT_MAX_LUMA, DEFAULT_SATURATION_LEVEL, DEFAULT_MAX_SATURATED_FRACTION, DEFAULT_SAME_FIELD_THRESHOLD);
    }
}
