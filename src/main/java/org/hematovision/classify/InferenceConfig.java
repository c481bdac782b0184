package org.hematovision.classify;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.hematovision.config.ConfigException;

/**
 * Configuration of the classifier (keys {@code inference.*}).
 *
 * @param model   the model bundle directory ({@code inference.model})
 * @param device  where to run the network ({@code inference.device}: auto, cpu or gpu; case-insensitive,
 *                stored lower-case)
 * @param threads  TensorFlow intra- and inter-op threads ({@code inference.threads}); 0 lets TensorFlow choose
 * @param maxBatch most crops sent through the network at once ({@code inference.maxBatch}); a field with more
 *                 white cells runs in several batches. Activation buffers grow with the batch and per-cell
 *                 time falls with it; this bounds resident memory.
 */
public record InferenceConfig(Path model, String device, int threads, int maxBatch) {

    public static final String PREFIX = "inference.";
    public static final String KEY_MODEL = PREFIX + "model";
    public static final String KEY_DEVICE = PREFIX + "device";
    public static final String KEY_THREADS = PREFIX + "threads";
    public static final String KEY_MAX_BATCH = PREFIX + "maxBatch";
    public static final Path DEFAULT_MODEL = Path.of("models", "wbc-mobilenetv2");
    public static final String DEFAULT_DEVICE = "auto";
    public static final int DEFAULT_THREADS = 0;
    public static final int MAX_THREADS = 64;
    public static final int DEFAULT_MAX_BATCH = 8;
    public static final int MAX_MAX_BATCH = 256;

    /** Where TensorFlow runs the network. */
    public enum Device {
        /** the GPU when TensorFlow finds one, else the CPU */
        AUTO,
        /** the CPU even when a GPU is present */
        CPU,
        /** a CUDA GPU; fails at start-up when there is none */
        GPU;

        public static Device parse(String key, String value) {
            String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "auto" -> AUTO;
                case "cpu" -> CPU;
                case "gpu" -> GPU;
                default -> throw new ConfigException(key, "\"" + value + "\" is not a device (allowed: auto, cpu, gpu)");
            };
        }
    }

    public InferenceConfig {
        if (model == null || model.toString().isBlank()) {
            throw new ConfigException(KEY_MODEL, "must name the model bundle directory (default " + DEFAULT_MODEL + ")");
        }
        device = Device.parse(KEY_DEVICE, device).name().toLowerCase(Locale.ROOT);
        ConfigException.requireRange(KEY_THREADS, threads, 0, MAX_THREADS);
        ConfigException.requireRange(KEY_MAX_BATCH, maxBatch, 1, MAX_MAX_BATCH);
    }

    /** The default batch limit. */
    public InferenceConfig(Path model, String device, int threads) {
        this(model, device, threads, DEFAULT_MAX_BATCH);
    }

    public static InferenceConfig defaults() {
        return new InferenceConfig(DEFAULT_MODEL, DEFAULT_DEVICE, DEFAULT_THREADS, DEFAULT_MAX_BATCH);
    }

    /** The validated {@link #device()} value. */
    public Device deviceKind() {
        return Device.valueOf(device.toUpperCase(Locale.ROOT));
    }

    /** Same settings with another bundle directory. */
    public InferenceConfig withModel(Path dir) {
        return new InferenceConfig(dir, device, threads, maxBatch);
    }

    /**
     * Reads the {@code inference.*} keys of a flat key/value map (other sections' keys are ignored);
     * absent keys take their defaults, unknown {@code inference.*} keys are refused.
     */
    public static InferenceConfig fromMap(Map<String, String> values) {
        Set<String> known = Set.of(KEY_MODEL, KEY_DEVICE, KEY_THREADS, KEY_MAX_BATCH);
        for (String key : values.keySet()) {
            if (key.startsWith(PREFIX) && !known.contains(key)) {
                throw new ConfigException(key, "unknown key (allowed: " + KEY_MODEL + ", " + KEY_DEVICE + ", " + KEY_THREADS
                        + ", " + KEY_MAX_BATCH + ")");
            }
        }
        String model = values.get(KEY_MODEL);
        String device = values.get(KEY_DEVICE);
        String threads = values.get(KEY_THREADS);
        int t = DEFAULT_THREADS;
        if (threads != null && !threads.isBlank()) {
            try {
                t = Integer.parseInt(threads.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(KEY_THREADS, "\"" + threads + "\" is not a number (allowed: 0.." + MAX_THREADS + ", 0 = TensorFlow's choice)");
            }
        }
        return new InferenceConfig(model == null ? DEFAULT_MODEL : Path.of(model.trim()),
                device == null ? DEFAULT_DEVICE : device, t,
                parseInt(KEY_MAX_BATCH, values.get(KEY_MAX_BATCH), DEFAULT_MAX_BATCH, 1, MAX_MAX_BATCH));
    }

    private static int parseInt(String key, String value, int fallback, int min, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "\"" + value + "\" is not a number (allowed: " + min + ".." + max + ")");
        }
    }
}
