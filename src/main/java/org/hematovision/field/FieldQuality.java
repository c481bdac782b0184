package org.hematovision.field;

/**
 * Image measurements the gate decides on.
 *
 * @param focus             variance of the Laplacian of the grey image (higher is sharper)
 * @param meanLuma          mean grey level 0..255
 * @param saturatedFraction fraction of pixels at or above the saturation level
 * @param motion            mean absolute grey difference to the previous frame (0 for the first frame)
 */
public record FieldQuality(double focus, double meanLuma, double saturatedFraction, double motion) {
}
