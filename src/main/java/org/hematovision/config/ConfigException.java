package org.hematovision.config;

/**
 * A configuration key has a bad value, or is unknown. The message names the key, the value given
 * and what is allowed, e.g. {@code mqtt.port: "x" is not a number (allowed: 1..65535)}.
 */
public class ConfigException extends IllegalArgumentException {

    private final String key;

    public ConfigException(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** Throws unless {@code value} lies in {@code [min, max]}. */
    public static int requireRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ConfigException(key, value + " is out of range (allowed: " + min + ".." + max + ")");
        }
        return value;
    }

    /** Throws unless {@code value} lies in {@code [min, max]}. */
    public static double requireRange(String key, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new ConfigException(key, value + " is out of range (allowed: " + min + ".." + max + ")");
        }
        return value;
    }
}
