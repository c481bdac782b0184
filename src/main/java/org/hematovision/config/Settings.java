package org.hematovision.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The raw key/value configuration: a properties file ({@code key = value}, {@code #} comments)
 * overlaid with command-line overrides. Each section's config record reads its keys through the
 * typed getters, which parse and range-check the value and remember that the key is known; then
 * {@link #requireAllKnown()} rejects any key no section asked for (a typo is an error, not a
 * silently ignored setting). Not thread-safe; used once at start-up.
 */
public final class Settings {

    private final Map<String, String> values;
    private final String origin;
    private final Set<String> known = new TreeSet<>();

    private Settings(Map<String, String> values, String origin) {
        this.values = new TreeMap<>(values);
        this.origin = origin;
    }

    public static Settings of(Map<String, String> values) {
        return new Settings(values, "settings");
    }

    /**
     * Loads {@code file} (when non-null) and applies {@code overrides} on top.
     *
     * @throws ConfigException when the file is missing or unreadable, naming it
     */
    public static Settings load(Path file, Map<String, String> overrides) {
        Map<String, String> map = new TreeMap<>();
        String origin = "command line";
        if (file != null) {
            origin = file.toString();
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (NoSuchFileException e) {
                throw new ConfigException("--config", "file " + file + " does not exist");
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException("--config", "cannot read " + file + ": " + e.getMessage());
            }
            for (String k : p.stringPropertyNames()) {
                map.put(k.trim(), p.getProperty(k).trim());
            }
        }
        overrides.forEach((k, v) -> map.put(k.trim(), v.trim()));
        return new Settings(map, origin);
    }

    public String origin() {
        return origin;
    }

    private String raw(String key) {
        known.add(key);
        String v = values.get(key);
        return v == null || v.isEmpty() ? null : v;
    }

    public String string(String key, String defaultValue) {
        String v = raw(key);
        return v == null ? defaultValue : v;
    }

    /** A path, or {@code defaultValue} (which may be null) when unset. */
    public Path path(String key, Path defaultValue) {
        String v = raw(key);
        return v == null ? defaultValue : Path.of(v);
    }

    public int integer(String key, int defaultValue, int min, int max) {
        String v = raw(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return ConfigException.requireRange(key, Integer.parseInt(v), min, max);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "\"" + v + "\" is not a whole number (allowed: " + min + ".." + max + ")");
        }
    }

    public long longValue(String key, long defaultValue, long min, long max) {
        String v = raw(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw new ConfigException(key, n + (range(min, max).isEmpty() ? " is far outside any sensible value"
                        : " is out of range" + range(min, max)));
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "\"" + v + "\" is not a whole number" + range(min, max));
        }
    }

    /** " (allowed: min..max)", or nothing when the whole type is allowed here (the record checks the range). */
    private static String range(long min, long max) {
        boolean open = (min == Integer.MIN_VALUE || min == Long.MIN_VALUE) && (max == Integer.MAX_VALUE || max == Long.MAX_VALUE);
        return open ? "" : " (allowed: " + min + ".." + max + ")";
    }

    public double decimal(String key, double defaultValue, double min, double max) {
        String v = raw(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return ConfigException.requireRange(key, Double.parseDouble(v), min, max);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "\"" + v + "\" is not a number (allowed: " + min + ".." + max + ")");
        }
    }

    /** A whole number; its range is the section record's to check (it names the key). */
    public int integer(String key, int defaultValue) {
        return (int) longValue(key, defaultValue, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** A whole number; its range is the section record's to check. */
    public long longValue(String key, long defaultValue) {
        return longValue(key, defaultValue, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** A number; its range is the section record's to check. */
    public double decimal(String key, double defaultValue) {
        String v = raw(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "\"" + v + "\" is not a number");
        }
    }

    public boolean bool(String key, boolean defaultValue) {
        String v = raw(key);
        if (v == null) {
            return defaultValue;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigException(key, "\"" + v + "\" is not a boolean (allowed: true, false)");
        };
    }

    /** One of {@code allowed} (case-insensitive), returned in the allowed spelling. */
    public String choice(String key, String defaultValue, List<String> allowed) {
        String v = raw(key);
        if (v == null) {
            return defaultValue;
        }
        for (String a : allowed) {
            if (a.equalsIgnoreCase(v)) {
                return a;
            }
        }
        throw new ConfigException(key, "\"" + v + "\" is not allowed (allowed: " + String.join(", ", allowed) + ")");
    }

    /** Comma-separated list; empty list when unset and no default is given. */
    public List<String> list(String key, List<String> defaultValue) {
        String v = raw(key);
        if (v == null) {
            return defaultValue;
        }
        return java.util.Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Every key below {@code prefix} (e.g. {@code flags.}) as given, marked known; for open-ended sections. */
    public Map<String, String> section(String prefix) {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                known.add(k);
                if (!v.isEmpty()) { // "key =" means the default here too, as for the keys read one by one
                    out.put(k, v);
                }
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /** Every key a section has asked for so far (what this configuration understands). */
    public Set<String> knownKeys() {
        return Collections.unmodifiableSet(new TreeSet<>(known));
    }

    /**
     * @throws ConfigException naming the first key that no section read, and the keys that exist
     */
    public void requireAllKnown() {
        Set<String> unknown = new LinkedHashSet<>(values.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            String key = unknown.iterator().next();
            String prefix = key.contains(".") ? key.substring(0, key.indexOf('.') + 1) : "";
            List<String> near = known.stream().filter(k -> k.startsWith(prefix)).toList();
            throw new ConfigException(key, "unknown key in " + origin + " (known keys"
                    + (prefix.isEmpty() ? "" : " under " + prefix) + ": "
                    + String.join(", ", near.isEmpty() ? known : near) + ")");
        }
    }

    /** SHA-256 of the effective values (published in the birth message so a dashboard sees config drift). */
    public String digest() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            values.forEach((k, v) -> {
                if (!k.toLowerCase(Locale.ROOT).contains("password")) {
                    md.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8));
                }
            });
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
