package org.hematovision.sample;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hematovision.config.ConfigException;

/**
 * Reads the keys of one configuration section ({@code sample.}, {@code flags.}, {@code store.}) from
 * flat string properties, for whatever loads the configuration file. Missing keys take the default;
 * an unknown key of the section, or a value that does not parse, is a {@link ConfigException} naming
 * the key and what is allowed. Range checks stay in the config records.
 */
public final class SettingsReader {

    private final String prefix;
    private final Map<String, String> values;

    /**
     * @param prefix  section prefix including the dot, e.g. {@code "sample."}
     * @param values  all configuration keys (other sections are ignored)
     * @param allowed the section's keys, without the prefix
     */
    public SettingsReader(String prefix, Map<String, String> values, Set<String> allowed) {
        this.prefix = prefix;
        this.values = Map.copyOf(values);
        for (String key : values.keySet()) {
            if (key.startsWith(prefix) && !allowed.contains(key.substring(prefix.length()))) {
                throw new ConfigException(key, "unknown key (allowed: " + String.join(", ",
                        new TreeSet<>(allowed.stream().map(k -> prefix + k).toList())) + ")");
            }
        }
    }

    public int integer(String key, int fallback) {
        String v = values.get(prefix + key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(prefix + key, "\"" + v + "\" is not a whole number");
        }
    }

    public long longValue(String key, long fallback) {
        String v = values.get(prefix + key);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(prefix + key, "\"" + v + "\" is not a whole number");
        }
    }

    public double decimal(String key, double fallback) {
        String v = values.get(prefix + key);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(prefix + key, "\"" + v + "\" is not a number");
        }
    }

    public boolean bool(String key, boolean fallback) {
        String v = values.get(prefix + key);
        if (v == null) {
            return fallback;
        }
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(prefix + key, "\"" + v + "\" is not allowed (allowed: true, false)");
        };
    }

    public String string(String key, String fallback) {
        return values.getOrDefault(prefix + key, fallback);
    }
}
