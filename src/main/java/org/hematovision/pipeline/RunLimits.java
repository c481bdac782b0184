package org.hematovision.pipeline;

/**
 * When {@code run} stops by itself. Zero means no limit.
 *
 * @param maxFields stop after this many analysed fields
 * @param maxCells  stop once the sample has counted this many leukocytes (nucleated red cells are not
 *                  leukocytes: the unit of the sample target)
 * @param maxFrames stop after this many frames read (tests and benchmarks)
 * @param maxSeconds stop after this much wall-clock time, also while the camera is missing
 * @param endWithSample also stop when the sample finishes by itself (target, field or time limit of
 *                      the sample): {@code run --fields/--cells} is about one sample; without it the
 *                      appliance waits for the next sample
 */
public record RunLimits(long maxFields, long maxCells, long maxFrames, long maxSeconds, boolean endWithSample) {

    public static final RunLimits NONE = new RunLimits(0, 0, 0, 0, false);

    public RunLimits {
        if (maxFields < 0 || maxCells < 0 || maxFrames < 0 || maxSeconds < 0) {
            throw new IllegalArgumentException("limits must be >= 0 (0 = none), got fields=" + maxFields
                    + " cells=" + maxCells + " frames=" + maxFrames + " seconds=" + maxSeconds);
        }
    }

    /** Stop after {@code n} analysed fields, over as many samples as the slide gives. */
    public static RunLimits fields(long n) {
        return new RunLimits(n, 0, 0, 0, false);
    }

    /** {@code run}'s limits: a run with a field or cell limit is one sample and ends with it. */
    public static RunLimits forRun(long fields, long cells, long seconds) {
        return new RunLimits(fields, cells, 0, seconds, fields > 0 || cells > 0);
    }
}
