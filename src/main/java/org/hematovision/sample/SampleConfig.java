package org.hematovision.sample;

import org.hematovision.config.ConfigException;

/**
 * When a sample ends, and what a restart does with an open one (keys {@code sample.*}).
 *
 * @param targetCells        {@code sample.targetCells}: leukocytes to count (100 or 200 are the usual
 *                           manual-differential sizes; any 1..1000 is accepted)
 * @param maxFields          {@code sample.maxFields}: close the sample after this many fields even if the
 *                           target is not reached (0 = no limit); protects against a leukopenic smear
 * @param maxMinutes         {@code sample.maxMinutes}: close the sample after this many minutes of counting
 *                           (0 = no limit)
 * @param resumeAfterRestart {@code sample.resumeAfterRestart}: true resumes a sample left open by a crash or
 *                           power cut; false closes it as incomplete (its cells are kept either way)
 */
public record SampleConfig(int targetCells, int maxFields, int maxMinutes, boolean resumeAfterRestart) {

    /** 100 cells: the routine manual differential (CLSI H20 uses 200 for its reference method). */
    public static final int DEFAULT_TARGET_CELLS = 100;
    /** A normal smear gives 100 leukocytes in well under 100 high-power fields; more means a sparse smear. */
    public static final int DEFAULT_MAX_FIELDS = 300;
    /** Half an hour: longer than any normal count, short enough to free the appliance. */
    public static final int DEFAULT_MAX_MINUTES = 30;
    public static final boolean DEFAULT_RESUME_AFTER_RESTART = true;

    public static final int MAX_TARGET_CELLS = 1000;
    public static final int MAX_FIELDS_LIMIT = 100_000;
    public static final int MAX_MINUTES_LIMIT = 24 * 60;

    public SampleConfig {
        ConfigException.requireRange("sample.targetCells", targetCells, 1, MAX_TARGET_CELLS);
        ConfigException.requireRange("sample.maxFields", maxFields, 0, MAX_FIELDS_LIMIT);
        ConfigException.requireRange("sample.maxMinutes", maxMinutes, 0, MAX_MINUTES_LIMIT);
    }

    public static SampleConfig defaults() {
        return new SampleConfig(DEFAULT_TARGET_CELLS, DEFAULT_MAX_FIELDS, DEFAULT_MAX_MINUTES,
                DEFAULT_RESUME_AFTER_RESTART);
    }

    public SampleConfig withTargetCells(int cells) {
        return new SampleConfig(cells, maxFields, maxMinutes, resumeAfterRestart);
    }

    /** Closed after {@code fields} fields (0 = never) and by no time limit: {@code run --fields N}. */
    public SampleConfig withFieldLimitOnly(int fields) {
        return new SampleConfig(targetCells, fields, 0, resumeAfterRestart);
    }
}
