package org.hematovision.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Samples {@link ResidentSet} on a daemon thread at a fixed period while a run goes on. The steady
 * state is the median over the second half of the samples (after loading and the first fields),
 * so one short spike does not decide it; the largest sample is reported beside it.
 */
public final class ResidentSampler implements AutoCloseable {

    private final List<ResidentSet> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private ResidentSampler(long periodMillis) {
        thread = new Thread(() -> {
            while (running) {
                ResidentSet r = ResidentSet.read();
                synchronized (samples) {
                    samples.add(r);
                }
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "resident-sampler");
        thread.setDaemon(true);
    }

    public static ResidentSampler start(long periodMillis) {
        ResidentSampler s = new ResidentSampler(periodMillis);
        s.thread.start();
        return s;
    }

    /** Summary of what was sampled so far. */
    public record Summary(int samples, ResidentSet steadyMedian, long maxTotalBytes) {
    }

    public Summary summary() {
        List<ResidentSet> copy;
        synchronized (samples) {
            copy = List.copyOf(samples);
        }
        if (copy.isEmpty()) {
            ResidentSet now = ResidentSet.read();
            return new Summary(0, now, now.totalBytes());
        }
        List<ResidentSet> late = copy.subList(copy.size() / 2, copy.size());
        ResidentSet median = new ResidentSet(median(late, ResidentSet::totalBytes), median(late, ResidentSet::anonymousBytes),
                median(late, ResidentSet::fileBytes));
        return new Summary(copy.size(), median, copy.stream().mapToLong(ResidentSet::totalBytes).max().orElse(-1));
    }

    static long median(List<ResidentSet> values, ToLongFunction<ResidentSet> f) {
        long[] v = values.stream().mapToLong(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
