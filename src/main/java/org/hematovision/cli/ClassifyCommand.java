package org.hematovision.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.hematovision.classify.InferenceConfig;
import org.hematovision.config.AppConfig;
import org.hematovision.classify.Prediction;
import org.hematovision.classify.TfCellClassifier;
import org.hematovision.image.BgrImage;
import org.hematovision.image.ImageFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Classifies single-cell images (e.g. PBC crops) with a model bundle and prints one CSV row per
 * image: {@code path,label,probability,review} then one probability column per class.
 * An unreadable image is reported on stderr and skipped; the others are still classified, and the
 * exit code is 1 so scripts notice.
 */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Classify single-cell images with a model bundle; prints CSV (path,label,probability,review,<one column per class>).")
public final class ClassifyCommand implements Callable<Integer> {


    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", description = "model bundle directory (default: models/wbc-mobilenetv2 "
            + "in the installation)")
    Path model;

    @Option(names = "--device", paramLabel = "DEVICE", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE})")
    String device = InferenceConfig.DEFAULT_DEVICE;

    @Option(names = "--threads", paramLabel = "N", description = "TensorFlow threads, 0 = TensorFlow's choice (default: ${DEFAULT-VALUE})")
    int threads = InferenceConfig.DEFAULT_THREADS;

    @Option(names = "--batch", paramLabel = "N", description = "images per network run (default: ${DEFAULT-VALUE})")
    int batch = 16;

    @Option(names = "--csv", paramLabel = "OUT", description = "write the CSV to this file instead of stdout")
    Path csv;

    @Parameters(paramLabel = "IMAGE_OR_DIR", arity = "1..*",
            description = "image files, or directories searched recursively for image files (sorted)")
    List<Path> inputs;

    @Override
    public Integer call() throws IOException {
        if (batch < 1 || batch > InferenceConfig.MAX_MAX_BATCH) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--batch must be 1.." + InferenceConfig.MAX_MAX_BATCH
                    + ", got " + batch);
        }
        if (threads < 0 || threads > InferenceConfig.MAX_THREADS) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be 0.." + InferenceConfig.MAX_THREADS
                    + " (0 = TensorFlow's choice), got " + threads);
        }
        InferenceConfig config = new InferenceConfig(model != null ? model : AppConfig.home().resolve(InferenceConfig.DEFAULT_MODEL),
                device, threads, batch);
        List<Path> images = ImageFiles.collect(inputs);
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no image files (" + String.join(", ", new java.util.TreeSet<>(ImageFiles.EXTENSIONS))
                    + ") found in " + inputs);
        }
        PrintWriter err = spec.commandLine().getErr();
        int failed = 0;
        try (TfCellClassifier classifier = TfCellClassifier.open(config);
             Writer target = csv == null ? null : Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            PrintWriter out = target == null ? spec.commandLine().getOut() : new PrintWriter(target);
            List<String> labels = classifier.metadata().labels();
            out.println("path,label,probability,review," + String.join(",", labels));
            for (int start = 0; start < images.size(); start += batch) {
                List<Path> paths = new ArrayList<>();
                List<BgrImage> crops = new ArrayList<>();
                for (Path p : images.subList(start, Math.min(images.size(), start + batch))) {
                    try {
                        crops.add(ImageFiles.read(p));
                        paths.add(p);
                    } catch (IOException e) {
                        err.println("hematovision classify: " + e.getMessage());
                        failed++;
                    }
                }
                List<Prediction> predictions = classifier.classify(crops);
                for (int i = 0; i < paths.size(); i++) {
                    out.println(row(paths.get(i), predictions.get(i)));
                }
                out.flush();
            }
        }
        if (failed > 0) {
            err.println("hematovision classify: " + failed + " of " + images.size() + " images could not be read");
            err.flush();
            return 1;
        }
        return 0;
    }

    static String row(Path p, Prediction pr) {
        StringBuilder sb = new StringBuilder(csvField(p.toString())).append(',').append(pr.label()).append(',')
                .append(format(pr.probability())).append(',').append(pr.review());
        for (float v : pr.probabilities()) {
            sb.append(',').append(format(v));
        }
        return sb.toString();
    }

    private static String format(float v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
