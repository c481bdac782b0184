package org.hematovision.capture;

import java.nio.file.Path;
import org.hematovision.config.ConfigException;

/**
 * A parsed {@code --source} value: where frames come from.
 *
 * <p>Forms: {@code v4l2:/dev/videoN}, {@code video:FILE}, {@code images:DIR}, {@code synthetic} or
 * {@code synthetic:SEED}. Parsing checks only the syntax; whether the device or file exists is found
 * out when the source is opened, so that the message can say what to check.
 */
public sealed interface SourceSpec {

    /** The key used in messages about a bad value. */
    String KEY = "capture.source";

    /** Seed of {@code synthetic} without a seed, so that two runs show the same slide. */
    long DEFAULT_SYNTHETIC_SEED = 1L;

    String ALLOWED = "v4l2:/dev/videoN, video:FILE, images:DIR, synthetic or synthetic:SEED";

    record V4l2(Path device) implements SourceSpec {
    }

    record VideoFile(Path file) implements SourceSpec {
    }

    record ImageFolder(Path directory) implements SourceSpec {
    }

    record Synthetic(long seed) implements SourceSpec {
    }

    static SourceSpec parse(String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(KEY, "no source given (allowed: " + ALLOWED + ")");
        }
        String v = value.strip();
        if (v.equals("synthetic")) {
            return new Synthetic(DEFAULT_SYNTHETIC_SEED);
        }
        int colon = v.indexOf(':');
        if (colon <= 0) {
            throw new ConfigException(KEY, "\"" + v + "\" is not a source (allowed: " + ALLOWED + ")");
        }
        String scheme = v.substring(0, colon);
        String rest = v.substring(colon + 1);
        if (rest.isBlank()) {
            throw new ConfigException(KEY, "\"" + v + "\" has nothing after \"" + scheme + ":\" (allowed: " + ALLOWED + ")");
        }
        return switch (scheme) {
            case "v4l2" -> new V4l2(Path.of(rest));
            case "video" -> new VideoFile(Path.of(rest));
            case "images" -> new ImageFolder(Path.of(rest));
            case "synthetic" -> new Synthetic(parseSeed(v, rest));
            default -> throw new ConfigException(KEY,
                    "unknown source type \"" + scheme + "\" in \"" + v + "\" (allowed: " + ALLOWED + ")");
        };
    }

    private static long parseSeed(String value, String seed) {
        try {
            return Long.parseLong(seed.strip());
        } catch (NumberFormatException e) {
            throw new ConfigException(KEY, "\"" + value + "\": the seed must be a whole number, e.g. synthetic:42");
        }
    }
}
