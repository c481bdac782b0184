package org.hematovision.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.hematovision.bench.ProcessMemory;
import org.hematovision.bench.SoakSeries;
import org.hematovision.capture.CaptureException;
import org.hematovision.capture.Frame;
import org.hematovision.capture.FrameSource;
import org.hematovision.capture.ImageFolderSource;
import org.hematovision.capture.synthetic.SmearParams;
import org.hematovision.capture.synthetic.SyntheticSmear;
import org.hematovision.capture.synthetic.SyntheticSource;
import org.hematovision.capture.synthetic.SyntheticSourceConfig;
import org.hematovision.config.AppConfig;
import org.hematovision.classify.InferenceConfig;
import org.hematovision.config.Settings;
import org.hematovision.pipeline.RunLimits;
import org.hematovision.pipeline.RunLoop;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the whole appliance (TensorFlow, OpenCV, in-process broker, PNG display, record store with
 * retention) over many fields at full speed, sample after sample as in a clinic, and samples the
 * process's memory, descriptors and threads every {@code --sample-every} fields. Exits 1 when any
 * of them keeps growing after warm-up (see {@link SoakSeries} and docs/operations.md).
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Long run of the full pipeline; fails (exit 1) when memory, descriptors or threads keep growing.")
public final class SoakCommand implements Callable<Integer> {

    /** Exit code when a metric grows beyond its limit. */
    static final int GROWS = 1;

    @Option(names = "--fields", paramLabel = "N", defaultValue = "2000", description = "Fields to analyse (default: ${DEFAULT-VALUE}).")
    long fields;

    @Option(names = "--sample-every", paramLabel = "K", defaultValue = "200",
            description = "Read memory every K fields (default: ${DEFAULT-VALUE}).")
    int sampleEvery;

    @Option(names = "--images", paramLabel = "DIR", description = "Loop over the image files in DIR instead of synthetic fields.")
    Path images;

    @Option(names = "--model", paramLabel = "DIR", description = "Classifier bundle (default: models/wbc-mobilenetv2).")
    Path model;

    @Option(names = "--size", paramLabel = "WxH", defaultValue = "640x480",
            description = "Size of the synthetic fields (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the synthetic fields (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--target-cells", paramLabel = "N", defaultValue = "200",
            description = "White cells per sample; a new sample starts when one finishes (default: ${DEFAULT-VALUE}).")
    int targetCells;

    @Option(names = "--fields-per-sample", paramLabel = "N", defaultValue = "100",
            description = "Fields per sample at most (sample.maxFields); a new sample starts when one finishes "
                    + "(default: ${DEFAULT-VALUE}).")
    int fieldsPerSample;

    @Option(names = "--png", paramLabel = "OUT", defaultValue = "soak.png", description = "Plot (default: ${DEFAULT-VALUE}).")
    Path png;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: a temporary one, removed at the end).")
    Path data;

    @Option(names = "--max-slope", paramLabel = "METRIC=PER_1000_FIELDS", split = ",",
            description = "Override a growth limit, e.g. RESIDENT=4,FDS=0.2 (metrics: RESIDENT, HEAP, JAVACPP, "
                    + "JAVACPP_PHYSICAL, FDS, THREADS; units per 1,000 fields).")
    Map<SoakSeries.Metric, Double> maxSlope = new HashMap<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (fields < 2 || sampleEvery < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--fields must be >= 2 and --sample-every >= 1");
        }
        if (targetCells < 1 || targetCells > org.hematovision.sample.SampleConfig.MAX_TARGET_CELLS) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--target-cells must be 1.."
                    + org.hematovision.sample.SampleConfig.MAX_TARGET_CELLS + ", got " + targetCells);
        }
        int[] wh = parseSize(size);
        PrintWriter out = spec.commandLine().getOut();
        Path dir = data != null ? Files.createDirectories(data) : Files.createTempDirectory("hematovision-soak");
        AppConfig cfg = AppConfig.from(Settings.of(Map.of(
                "data.dir", dir.toString(),
                "mqtt.port", String.valueOf(freePort()),
                "sample.targetCells", String.valueOf(targetCells),
                "sample.maxFields", String.valueOf(fieldsPerSample),
                "sample.maxMinutes", "0",
                // a clinic's card fills up over months; here retention must keep the soak's disk use bounded too
                "store.maxBytes", String.valueOf(256L << 20),
                "inference.model", (model == null ? AppConfig.home().resolve(InferenceConfig.DEFAULT_MODEL) : model).toString())));
        out.println("soak: " + fields + " fields of " + (images == null ? "synthetic " + wh[0] + "x" + wh[1] + " seed " + seed
                : "images in " + images) + ", memory every " + sampleEvery + " fields, " + targetCells
                + " white cells or " + fieldsPerSample + " fields per sample, data in " + dir);
        out.flush();

        SoakSeries series = new SoakSeries();
        long[] analysed = {0};
        long t0 = System.nanoTime();
        series.add(new SoakSeries.Point(0, 0, sample()));
        RunLoop.Summary summary;
        SampleAfterSample samples = new SampleAfterSample(line -> {
            // Console lines come from the pipeline thread between fields: a safe point to sample.
            if (line.startsWith("field ") && ++analysed[0] % sampleEvery == 0) {
                series.add(new SoakSeries.Point(analysed[0], (System.nanoTime() - t0) / 1_000_000, sample()));
            }
        });
        try (Appliance app = samples.start(cfg, source(wh), RunLimits.fields(fields))) {
            summary = app.run();
        }
        series.add(new SoakSeries.Point(summary.fieldsAnalysed(), (System.nanoTime() - t0) / 1_000_000, sample()));
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (data == null) {
            deleteTree(dir);
        }

        out.println();
        out.print(series.table());
        Map<SoakSeries.Metric, SoakSeries.Fit> fits = series.fit(maxSlope);
        out.println();
        out.println("growth over the second half (Theil-Sen, per 1,000 fields):");
        boolean grows = false;
        for (SoakSeries.Fit f : fits.values()) {
            grows |= f.grows();
            out.println(String.format(Locale.ROOT, "  %-12s slope %8.3f  rise %8.2f  limit %6.2f (noise floor %.0f)  %s",
                    f.metric().label(), f.slopePerKiloField(), f.rise(), f.maxSlope(), f.metric().noiseFloor(),
                    Double.isNaN(f.slopePerKiloField()) ? "too few readings" : f.grows() ? "GROWS" : "flat"));
        }
        out.println(String.format(Locale.ROOT, "fields analysed %d in %.0f s (%.1f fields/s), %d samples finished, %d frames",
                summary.fieldsAnalysed(), seconds, summary.fieldsAnalysed() / seconds, samples.samplesFinished(), summary.framesRead()));
        out.println(String.format(Locale.ROOT, "steady-state resident memory %.0f MB (median of the second half), peak %s",
                series.steadyMedian(SoakSeries.Metric.RESIDENT), ProcessMemory.mb(ProcessMemory.read().peakResidentBytes())));
        String title = String.format(Locale.ROOT, "HematoVision soak: %d fields, %s", summary.fieldsAnalysed(),
                grows ? "GROWTH after warm-up" : "flat after warm-up");
        series.plot(png, fits, title);
        out.println("plot: " + png.toAbsolutePath());
        if (summary.fieldsAnalysed() < fields) {
            out.println("soak ended early: " + summary.endReason());
            return GROWS;
        }
        out.println(grows ? "RESULT: growth beyond the limits" : "RESULT: flat");
        return grows ? GROWS : 0;
    }

    /** A reading after a GC hint, so the heap figure is what is live, not what awaits collection. */
    private static ProcessMemory sample() {
        System.gc();
        return ProcessMemory.read();
    }

    private FrameSource source(int[] wh) throws CaptureException {
        if (images != null) {
            ImageFolderSource.open(images).close(); // fail now, with the folder's message, if unreadable
            return new LoopingFolder(images);
        }
        SmearParams d = SmearParams.defaults();
        double area = (double) wh[0] * wh[1] / (d.width() * d.height());
        SmearParams p = d.withSize(wh[0], wh[1]).withCounts(Math.max(1, (int) Math.round(d.wbcCount() * area)),
                (int) Math.round(d.rbcCount() * area), (int) Math.round(d.plateletCount() * area));
        return new SyntheticSource(new SyntheticSmear(p), SyntheticSourceConfig.stills(), seed);
    }

    private int[] parseSize(String s) {
        String[] parts = s.toLowerCase(Locale.ROOT).split("x");
        try {
            int w = Integer.parseInt(parts[0]);
            int h = Integer.parseInt(parts[1]);
            if (parts.length == 2 && w >= 64 && h >= 64 && w <= 4096 && h <= 4096) {
                return new int[] {w, h};
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw new CommandLine.ParameterException(spec.commandLine(),
                "--size " + s + " is not WxH with 64 <= W, H <= 4096 (e.g. 640x480)");
    }

    /** A folder of still fields read over and over, frame indices running on. */
    private static final class LoopingFolder implements FrameSource {
        private final Path dir;
        private ImageFolderSource current;
        private long index;

        LoopingFolder(Path dir) {
            this.dir = dir;
        }

        @Override
        public Optional<Frame> next() throws CaptureException {
            for (int attempt = 0; attempt < 2; attempt++) {
                if (current == null) {
                    current = ImageFolderSource.open(dir);
                }
                Optional<Frame> f = current.next();
                if (f.isPresent()) {
                    return Optional.of(new Frame(index++, f.get().timestampNanos(), f.get().image()));
                }
                current.close();
                current = null;
            }
            return Optional.empty(); // the folder is empty
        }

        @Override
        public boolean framesAreFields() {
            return true;
        }

        @Override
        public String description() {
            return "images:" + dir + " (looped)";
        }

        @Override
        public void close() {
            if (current != null) {
                current.close();
                current = null;
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
