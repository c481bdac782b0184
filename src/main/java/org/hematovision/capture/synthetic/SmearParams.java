package org.hematovision.capture.synthetic;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hematovision.config.ConfigException;

/**
 * What a synthetic field looks like (key prefix {@code synthetic.}).
 *
 * <p>Scale: a red cell is about 7.5 µm across, so {@code micronsPerPixel} sets the magnification: 0.1
 * is a 100× oil objective on a typical camera (red cells ~75 px), 0.2 (default) a 100× objective seen
 * through a 0.5× adapter or a binned sensor (~38 px), 0.35 roughly 40× (~21 px).
 *
 * @param width           image width in pixels
 * @param height          image height in pixels
 * @param micronsPerPixel slide distance per pixel
 * @param wbcCount        cells drawn from {@code classMix}; a mix containing {@code platelet} yields
 *                        platelets labelled {@code platelet} for those draws
 * @param rbcCount        red cells (drawn touching and overlapping where the field is crowded)
 * @param plateletCount   platelets besides those from the class mix
 * @param classMix        relative weight per PBC class name; missing classes are never drawn
 * @param blurSigmaPx     optical blur of an in-focus field (sigma, pixels)
 * @param noiseSigma      sensor noise (sigma in grey levels, per channel)
 * @param vignetting      relative brightness loss in the corners (0 = none)
 */
public record SmearParams(int width, int height, double micronsPerPixel, int wbcCount, int rbcCount, int plateletCount,
                          Map<String, Double> classMix, double blurSigmaPx, double noiseSigma, double vignetting) {

    /** The 8 classes of the PBC dataset; {@code neutrophil} includes band forms. */
    public static final List<String> CLASSES = List.of("basophil", "eosinophil", "erythroblast", "ig", "lymphocyte",
            "monocyte", "neutrophil", "platelet");

    public static final int DEFAULT_WIDTH = 640;
    public static final int DEFAULT_HEIGHT = 480;
    public static final double DEFAULT_MICRONS_PER_PIXEL = 0.2;
    public static final int DEFAULT_WBC_COUNT = 3;
    public static final int DEFAULT_RBC_COUNT = 110;
    public static final int DEFAULT_PLATELET_COUNT = 8;
    public static final double DEFAULT_BLUR_SIGMA_PX = 1.0;
    public static final double DEFAULT_NOISE_SIGMA = 2.0;
    public static final double DEFAULT_VIGNETTING = 0.18;

    /** Roughly a normal adult differential (white cells only). */
    public static final Map<String, Double> NORMAL_MIX = orderedMix(
            "neutrophil", 0.58, "lymphocyte", 0.28, "monocyte", 0.07, "eosinophil", 0.03,
            "basophil", 0.01, "ig", 0.02, "erythroblast", 0.01);

    /** Every PBC class equally likely (platelet included): for exercising the classifier. */
    public static final Map<String, Double> UNIFORM_MIX = uniform();

    public SmearParams {
        ConfigException.requireRange("synthetic.width", width, 64, 8192);
        ConfigException.requireRange("synthetic.height", height, 64, 8192);
        ConfigException.requireRange("synthetic.micronsPerPixel", micronsPerPixel, 0.05, 1.0);
        ConfigException.requireRange("synthetic.wbcCount", wbcCount, 0, 200);
        ConfigException.requireRange("synthetic.rbcCount", rbcCount, 0, 5000);
        ConfigException.requireRange("synthetic.plateletCount", plateletCount, 0, 1000);
        ConfigException.requireRange("synthetic.blurSigmaPx", blurSigmaPx, 0.0, 5.0);
        ConfigException.requireRange("synthetic.noiseSigma", noiseSigma, 0.0, 30.0);
        ConfigException.requireRange("synthetic.vignetting", vignetting, 0.0, 0.8);
        if (classMix == null || classMix.isEmpty()) {
            throw new ConfigException("synthetic.classMix", "empty (allowed: weights >= 0 for " + CLASSES + ")");
        }
        double total = 0;
        for (Map.Entry<String, Double> e : classMix.entrySet()) {
            if (!CLASSES.contains(e.getKey())) {
                throw new ConfigException("synthetic.classMix", "unknown class \"" + e.getKey() + "\" (allowed: " + CLASSES + ")");
            }
            if (e.getValue() == null || !(e.getValue() >= 0)) {
                throw new ConfigException("synthetic.classMix", "weight of " + e.getKey() + " must be >= 0, got " + e.getValue());
            }
            total += e.getValue();
        }
        if (!(total > 0)) {
            throw new ConfigException("synthetic.classMix", "all weights are 0 (allowed: at least one weight > 0)");
        }
        classMix = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(classMix));
    }

    public static SmearParams defaults() {
        return new SmearParams(DEFAULT_WIDTH, DEFAULT_HEIGHT, DEFAULT_MICRONS_PER_PIXEL, DEFAULT_WBC_COUNT,
                DEFAULT_RBC_COUNT, DEFAULT_PLATELET_COUNT, NORMAL_MIX, DEFAULT_BLUR_SIGMA_PX, DEFAULT_NOISE_SIGMA,
                DEFAULT_VIGNETTING);
    }

    public SmearParams withSize(int w, int h) {
        return new SmearParams(w, h, micronsPerPixel, wbcCount, rbcCount, plateletCount, classMix, blurSigmaPx,
                noiseSigma, vignetting);
    }

    public SmearParams withScale(double umPerPx) {
        return new SmearParams(width, height, umPerPx, wbcCount, rbcCount, plateletCount, classMix, blurSigmaPx,
                noiseSigma, vignetting);
    }

    public SmearParams withCounts(int wbc, int rbc, int platelets) {
        return new SmearParams(width, height, micronsPerPixel, wbc, rbc, platelets, classMix, blurSigmaPx, noiseSigma,
                vignetting);
    }

    public SmearParams withClassMix(Map<String, Double> mix) {
        return new SmearParams(width, height, micronsPerPixel, wbcCount, rbcCount, plateletCount, mix, blurSigmaPx,
                noiseSigma, vignetting);
    }

    private static Map<String, Double> orderedMix(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Double) kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Map<String, Double> uniform() {
        Map<String, Double> m = new LinkedHashMap<>();
        CLASSES.forEach(c -> m.put(c, 1.0));
        return java.util.Collections.unmodifiableMap(m);
    }
}
