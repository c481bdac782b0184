package org.hematovision.segment;

import org.hematovision.config.ConfigException;

/**
 * Settings of {@link ClassicalSegmenter} (keys {@code segment.*}). Sizes are expressed in red-cell
 * diameters or micrometres rather than pixels, so one set of values works from 40x to 100x and with
 * any camera: the segmenter measures the red-cell diameter in every field.
 *
 * @param redCellDiameterMicrons  {@code segment.redCellDiameterMicrons}: diameter of a normal red cell, used to turn
 *                                the measured diameter in pixels into micrometres per pixel
 * @param minRedCellsForScale     {@code segment.minRedCellsForScale}: fewer measured red cells than this and the
 *                                scale is unknown (NaN)
 * @param fallbackRedCellFraction {@code segment.fallbackRedCellFraction}: red-cell diameter assumed, as a fraction
 *                                of the field width, when the scale is unknown
 * @param nucleusContrast         {@code segment.nucleusContrast}: how far (in blue-minus-red grey levels) a pixel
 *                                must lie above the field's typical value to count as nucleus stain
 * @param minNucleusArea          {@code segment.minNucleusArea}: smallest nucleus (all lobes) of a white cell, in
 *                                red-cell disc areas
 * @param maxNucleusArea          {@code segment.maxNucleusArea}: largest nucleus of one white cell, in red-cell disc
 *                                areas; larger stained areas are rejected as smudges or clumps
 * @param maxPlateletArea         {@code segment.maxPlateletArea}: largest platelet, in red-cell disc areas
 * @param lobeGap                 {@code segment.lobeGap}: largest gap between two lobes of one nucleus, in red-cell
 *                                diameters
 * @param maxNucleusExtent        {@code segment.maxNucleusExtent}: widest nucleus (all lobes) of one white cell, in
 *                                red-cell diameters; wider lobe groups are split into cells
 * @param cytoplasmBlueness       {@code segment.cytoplasmBlueness}: how blue a pixel must be to count as white-cell
 *                                cytoplasm, as a fraction of the nucleus's blueness above the field median
 * @param cytoplasmReach          {@code segment.cytoplasmReach}: how far beyond the nucleus the cytoplasm is looked
 *                                for, in red-cell diameters
 * @param cytoplasmMargin         {@code segment.cytoplasmMargin}: added on every side of the cytoplasm's extent (its
 *                                pale edge falls below the blueness threshold), as a fraction of the extent's mean
 *                                side
 * @param minVisibleFraction      {@code segment.minVisibleFraction}: a border-cut white cell is cropped for
 *                                classification only when at least this fraction of its box lies in the field
 * @param slideScaleMinFields     {@code segment.slideScaleMinFields}: fields of one sample that must have measured
 *                                their scale before the median of these estimates is trusted as the slide's scale
 *                                ({@link ScaleTracker})
 * @param slideScaleTolerance     {@code segment.slideScaleTolerance}: a field's own scale is used when it lies within
 *                                this fraction of the slide's; otherwise (or when it has none) the slide's is used.
 *                                The default 0 uses the slide's scale for every field once it is trusted
 */
public record SegmenterConfig(
        double redCellDiameterMicrons,
        int minRedCellsForScale,
        double fallbackRedCellFraction,
        double nucleusContrast,
        double minNucleusArea,
        double maxNucleusArea,
        double maxPlateletArea,
        double lobeGap,
        double maxNucleusExtent,
        double cytoplasmBlueness,
        double cytoplasmReach,
        double cytoplasmMargin,
        double minVisibleFraction,
        int slideScaleMinFields,
        double slideScaleTolerance) {

    public static final double DEFAULT_RED_CELL_DIAMETER_MICRONS = 7.5;
    public static final int DEFAULT_MIN_RED_CELLS_FOR_SCALE = 5;
    public static final double DEFAULT_FALLBACK_RED_CELL_FRACTION = 0.15;
    public static final double DEFAULT_NUCLEUS_CONTRAST = 40;
    public static final double DEFAULT_MIN_NUCLEUS_AREA = 0.4;
    public static final double DEFAULT_MAX_NUCLEUS_AREA = 6.0;
    public static final double DEFAULT_MAX_PLATELET_AREA = 0.08;
    public static final double DEFAULT_LOBE_GAP = 0.25;
    public static final double DEFAULT_MAX_NUCLEUS_EXTENT = 2.7;
    public static final double DEFAULT_CYTOPLASM_BLUENESS = 0.15;
    public static final double DEFAULT_CYTOPLASM_REACH = 0.8;
    public static final double DEFAULT_CYTOPLASM_MARGIN = 0.08;
    public static final double DEFAULT_MIN_VISIBLE_FRACTION = 0.75;
    public static final int DEFAULT_SLIDE_SCALE_MIN_FIELDS = 5;
    /**
     * 0: once the slide's scale is trusted, every field uses it. The pixel size is set by the objective and camera,
     * which do not change within a sample, and the median of the fields so far is closer to it than any one field's
     * own estimate (BCCD: own estimates spread about +-10 %, and read up to 2.8x too large where red cells fuse).
     */
    public static final double DEFAULT_SLIDE_SCALE_TOLERANCE = 0.0;

    public SegmenterConfig {
        ConfigException.requireRange("segment.redCellDiameterMicrons", redCellDiameterMicrons, 4.0, 12.0);
        ConfigException.requireRange("segment.minRedCellsForScale", minRedCellsForScale, 1, 1000);
        ConfigException.requireRange("segment.fallbackRedCellFraction", fallbackRedCellFraction, 0.01, 0.5);
        ConfigException.requireRange("segment.nucleusContrast", nucleusContrast, 5.0, 200.0);
        ConfigException.requireRange("segment.minNucleusArea", minNucleusArea, 0.05, 5.0);
        ConfigException.requireRange("segment.maxNucleusArea", maxNucleusArea, 0.5, 20.0);
        ConfigException.requireRange("segment.maxPlateletArea", maxPlateletArea, 0.005, 1.0);
        ConfigException.requireRange("segment.lobeGap", lobeGap, 0.0, 1.0);
        ConfigException.requireRange("segment.maxNucleusExtent", maxNucleusExtent, 0.5, 5.0);
        ConfigException.requireRange("segment.cytoplasmBlueness", cytoplasmBlueness, 0.02, 0.8);
        ConfigException.requireRange("segment.cytoplasmReach", cytoplasmReach, 0.1, 2.0);
        ConfigException.requireRange("segment.cytoplasmMargin", cytoplasmMargin, 0.0, 1.0);
        ConfigException.requireRange("segment.minVisibleFraction", minVisibleFraction, 0.0, 1.0);
        ConfigException.requireRange("segment.slideScaleMinFields", slideScaleMinFields, 1, 1000);
        ConfigException.requireRange("segment.slideScaleTolerance", slideScaleTolerance, 0.0, 1.0);
        if (maxNucleusArea <= minNucleusArea) {
            throw new ConfigException("segment.maxNucleusArea", maxNucleusArea
                    + " must exceed segment.minNucleusArea " + minNucleusArea + " (allowed: > minNucleusArea)");
        }
        if (maxPlateletArea >= minNucleusArea) {
            throw new ConfigException("segment.maxPlateletArea", maxPlateletArea
                    + " must be below segment.minNucleusArea " + minNucleusArea + " (allowed: < minNucleusArea)");
        }
    }

    public static SegmenterConfig defaults() {
        return new SegmenterConfig(DEFAULT_RED_CELL_DIAMETER_MICRONS, DEFAULT_MIN_RED_CELLS_FOR_SCALE,
                DEFAULT_FALLBACK_RED_CELL_FRACTION, DEFAULT_NUCLEUS_CONTRAST, DEFAULT_MIN_NUCLEUS_AREA,
                DEFAULT_MAX_NUCLEUS_AREA, DEFAULT_MAX_PLATELET_AREA, DEFAULT_LOBE_GAP, DEFAULT_MAX_NUCLEUS_EXTENT,
                DEFAULT_CYTOPLASM_BLUENESS, DEFAULT_CYTOPLASM_REACH,
                DEFAULT_CYTOPLASM_MARGIN,
                DEFAULT_MIN_VISIBLE_FRACTION, DEFAULT_SLIDE_SCALE_MIN_FIELDS, DEFAULT_SLIDE_SCALE_TOLERANCE);
    }

}
