package org.hematovision.sample;

/**
 * An adult reference interval for a relative count, in percent of leukocytes (0..100).
 * {@code low == 0} means no lower limit is checked.
 */
public record ReferenceInterval(double low, double high) {

    public ReferenceInterval {
        if (!(low >= 0 && low <= high && high <= 100)) {
            throw new IllegalArgumentException("reference interval must satisfy 0 <= low <= high <= 100, got "
                    + low + ".." + high);
        }
    }
}
