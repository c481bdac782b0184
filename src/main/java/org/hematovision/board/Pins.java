package org.hematovision.board;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.hematovision.config.ConfigException;

/**
 * GPIO pin rules of the board (Raspberry Pi 40-pin header, BCM numbering) and the small parsers the
 * {@code display.} and {@code board.} config sections share. Every message names the key and what is
 * allowed.
 */
public final class Pins {

    /** Lowest and highest BCM GPIO on the 40-pin header. */
    public static final int BCM_MIN = 0;
    public static final int BCM_MAX = 27;
    /** "Not connected" for optional pins (panel reset, backlight). */
    public static final int NONE = -1;
    /** I2C-1 SDA/SCL: taken when an I2C panel is used. */
    public static final Set<Integer> I2C1_PINS = Set.of(2, 3);
    /** SPI-0 CE1, CE0, MISO, MOSI, SCLK: taken when an SPI panel is used. */
    public static final Set<Integer> SPI0_PINS = Set.of(7, 8, 9, 10, 11);
    /** SPI-1 CE2, CE1, CE0, MISO, MOSI, SCLK: taken when an SPI panel is on bus 1. */
    public static final Set<Integer> SPI1_PINS = Set.of(16, 17, 18, 19, 20, 21);

    /** The header pins SPI bus {@code bus} takes (empty for a bus without fixed header pins here). */
    public static Set<Integer> spiPins(int bus) {
        return switch (bus) {
            case 0 -> SPI0_PINS;
            case 1 -> SPI1_PINS;
            default -> Set.of();
        };
    }

    private Pins() {
    }

    /** Throws unless {@code pin} is a BCM GPIO of the header (or {@link #NONE} when {@code optional}). */
    public static int requirePin(String key, int pin, boolean optional) {
        if (optional && pin == NONE) {
            return pin;
        }
        if (pin < BCM_MIN || pin > BCM_MAX) {
            throw new ConfigException(key, pin + " is not a GPIO of the 40-pin header (allowed: BCM "
                    + BCM_MIN + ".." + BCM_MAX + (optional ? ", or -1 for not connected" : "") + ")");
        }
        return pin;
    }

    /** Throws when two keys name the same pin ({@link #NONE} ignored). Keys in config order. */
    public static void requireDistinct(Map<String, Integer> pinsByKey) {
        Map<Integer, String> seen = new HashMap<>();
        for (Map.Entry<String, Integer> e : pinsByKey.entrySet()) {
            if (e.getValue() == NONE) {
                continue;
            }
            String other = seen.putIfAbsent(e.getValue(), e.getKey());
            if (other != null) {
                throw new ConfigException(e.getKey(), "BCM " + e.getValue() + " is already used by " + other
                        + " (allowed: a pin no other key uses)");
            }
        }
    }

    /** Throws when a pin lies on a bus the display needs. */
    public static void requireOffBus(Map<String, Integer> pinsByKey, Set<Integer> busPins, String bus) {
        for (Map.Entry<String, Integer> e : pinsByKey.entrySet()) {
            if (busPins.contains(e.getValue())) {
                throw new ConfigException(e.getKey(), "BCM " + e.getValue() + " belongs to " + bus
                        + ", which the display uses (allowed: a pin outside BCM " + busPins + ")");
            }
        }
    }

    /** key, pin, key, pin, ... as an insertion-ordered map (messages then name the first key in config order). */
    public static Map<String, Integer> ordered(Object... keyPin) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < keyPin.length; i += 2) {
            m.put((String) keyPin[i], (Integer) keyPin[i + 1]);
        }
        return m;
    }

    /** A decimal or {@code 0x} hexadecimal integer, or {@code def} when absent. */
    public static int intValue(Map<String, String> values, String key, int def) {
        String v = values.get(key);
        if (v == null) {
            return def;
        }
        String s = v.strip().toLowerCase(Locale.ROOT);
        try {
            return s.startsWith("0x") ? Integer.parseInt(s.substring(2), 16) : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "\"" + v + "\" is not a number (allowed: decimal or 0x hexadecimal)");
        }
    }

    public static boolean boolValue(Map<String, String> values, String key, boolean def) {
        String v = values.get(key);
        if (v == null) {
            return def;
        }
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigException(key, "\"" + v + "\" is not a boolean (allowed: true, false)");
        };
    }

    /** Throws for any key with {@code prefix} that is not in {@code known}. */
    public static void requireKnown(Map<String, String> values, String prefix, Set<String> known) {
        for (String key : values.keySet()) {
            if (key.startsWith(prefix) && !known.contains(key)) {
                throw new ConfigException(key, "unknown key (allowed: " + new java.util.TreeSet<>(known) + ")");
            }
        }
    }
}
