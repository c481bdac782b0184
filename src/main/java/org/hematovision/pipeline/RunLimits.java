package org.hematovision.pipeline;

/**
 * When {@code run} stops by itself. Zero means no limit.
 *
 * @param maxFields stop after this many analysed fields
 * @param maxCells  stop once the sample has counted this many white cells
 * @param maxFrames stop after this many frames read (tests and benchmarks)
 * @param maxSeconds stop after this much wall-clock time, also while the camera is missing
 */
public record RunLimits(long maxFields, long maxCells, long maxFrames, long maxSeconds) {

    public static final RunLimits NONE = new RunLimits(0, 0, 0, 0);

    public RunLimits {
        if (maxFields < 0 || maxCells < 0 || maxFrames < 0 || maxSeconds < 0) {
            throw new IllegalArgumentException("limits must be >= 0 (0 = none), got fields=" + maxFields
                    + " cells=" + maxCells + " frames=" + maxFrames + " seconds=" + maxSeconds);
        }
    }

    /**
     * A run with any limit is about one sample: it also ends when that sample finishes by itself
     * (target, field or time limit of the sample). Without limits the appliance waits for the next
     * sample instead.
     */
    public boolean oneSample() {
        return maxFields > 0 || maxCells > 0 || maxFrames > 0 || maxSeconds > 0;
    }

    public static RunLimits fields(long n) {
        return new RunLimits(n, 0, 0, 0);
    }
}
