package org.hematovision.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The growth verdict on series with a known shape: flat with spikes, a steady leak, warm-up only. */
class SoakSeriesTest {

    private static final long MB = 1 << 20;

    private static ProcessMemory mem(double residentMb, double heapMb, long fds, int threads) {
        return new ProcessMemory((long) (residentMb * MB), (long) (residentMb * MB), (long) (heapMb * MB), 0,
                (long) (residentMb * MB), fds, threads);
    }

    /** 20,000 fields read every 500; {@code leakKbPerField} added to the resident memory after warm-up. */
    private static SoakSeries series(double leakKbPerField, long fdEvery) {
        SoakSeries s = new SoakSeries();
        Random noise = new Random(42);
        for (long f = 0; f <= 20_000; f += 500) {
            double warm = 300 * (1 - Math.exp(-f / 1500.0)); // pools and JIT fill up, then level off
            double spike = noise.nextInt(8) == 0 ? 60 : noise.nextGaussian() * 5; // allocator / GC jitter
            double rss = 150 + warm + spike + leakKbPerField * f / 1024.0;
            long fds = 90 + (fdEvery > 0 ? f / fdEvery : 0);
            s.add(new SoakSeries.Point(f, f * 50, mem(rss, 40 + noise.nextGaussian() * 3, fds, 44)));
        }
        return s;
    }

    @Test
    void flatSeriesWithWarmUpAndSpikesPasses() {
        Map<SoakSeries.Metric, SoakSeries.Fit> fits = series(0, 0).fit(Map.of());
        fits.values().forEach(f -> assertFalse(f.grows(), f.toString()));
    }

    @Test
    void aLeakOfFourKilobytesPerFieldFails() {
        var fit = series(4, 0).fit(Map.of()).get(SoakSeries.Metric.RESIDENT);
        assertTrue(fit.grows(), fit.toString());
        assertEquals(3.9, fit.slopePerKiloField(), 1.0); // 4 KB x 1,000 fields, give or take the jitter
    }

    @Test
    void oneDescriptorLeakedEveryThousandFieldsFails() {
        var fit = series(0, 1000).fit(Map.of()).get(SoakSeries.Metric.FDS);
        assertTrue(fit.grows(), fit.toString());
    }

    @Test
    void aLimitCanBeRaised() {
        var fit = series(4, 0).fit(Map.of(SoakSeries.Metric.RESIDENT, 10.0)).get(SoakSeries.Metric.RESIDENT);
        assertFalse(fit.grows(), fit.toString());
    }

    @Test
    void plotIsAReadablePng(@TempDir Path dir) throws Exception {
        SoakSeries s = series(4, 0);
        Path png = dir.resolve("plot.png");
        s.plot(png, s.fit(Map.of()), "test");
        var img = ImageIO.read(png.toFile());
        assertEquals(3 * 420, img.getWidth());
        assertTrue(Files.size(png) > 5_000);
        assertTrue(s.table().lines().count() == 42, s.table());
    }
}
