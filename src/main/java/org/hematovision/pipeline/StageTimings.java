package org.hematovision.pipeline;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * Latency of each stage over the last {@value #WINDOW} runs (a ring buffer per stage, so memory
 * stays fixed over months). Confined to the pipeline thread; {@link #summary()} returns a copy.
 */
public final class StageTimings {

    static final int WINDOW = 4096;

    private final Map<Stage, long[]> samples = new EnumMap<>(Stage.class);
    private final Map<Stage, Long> counts = new EnumMap<>(Stage.class);
    private final Map<Stage, Long> totals = new EnumMap<>(Stage.class);

    public StageTimings() {
        for (Stage s : Stage.values()) {
            samples.put(s, new long[WINDOW]);
            counts.put(s, 0L);
            totals.put(s, 0L);
        }
    }

    public void record(Stage stage, long nanos) {
        long n = counts.get(stage);
        samples.get(stage)[(int) (n % WINDOW)] = nanos;
        counts.put(stage, n + 1);
        totals.merge(stage, nanos, Long::sum);
    }

    /** Median, p95 and count per stage (stages never run are left out). */
    public Map<Stage, Summary> summary() {
        Map<Stage, Summary> out = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            long n = counts.get(s);
            if (n == 0) {
                continue;
            }
            long[] window = Arrays.copyOf(samples.get(s), (int) Math.min(n, WINDOW));
            Arrays.sort(window);
            out.put(s, new Summary(n, percentile(window, 0.5), percentile(window, 0.95), totals.get(s)));
        }
        return out;
    }

    private static long percentile(long[] sorted, double q) {
        int idx = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    /** Latency figures of one stage, in nanoseconds ({@code totalNanos} over every run, not just the window). */
    public record Summary(long count, long medianNanos, long p95Nanos, long totalNanos) {
    }
}
