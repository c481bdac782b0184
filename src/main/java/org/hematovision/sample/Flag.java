package org.hematovision.sample;

/**
 * A finding a clinician should know about, raised by {@link Flagger}.
 *
 * @param code  stable machine name, e.g. {@code eosinophilia}, {@code left-shift}, {@code too-few-cells}
 * @param text  the sentence shown and printed, with the value, its confidence interval and the limit
 *              it cleared, e.g. {@code eosinophilia: 9% (95% CI 4.2–16.4%) above 6%}
 * @param label the cell type it is about, or empty for sample-level flags
 */
public record Flag(String code, String text, String label) {
}
