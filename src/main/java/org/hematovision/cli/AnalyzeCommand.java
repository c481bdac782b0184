package org.hematovision.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.hematovision.capture.Frame;
import org.hematovision.classify.TfCellClassifier;
import org.hematovision.config.AppConfig;
import org.hematovision.field.Field;
import org.hematovision.field.FieldQuality;
import org.hematovision.image.BgrImage;
import org.hematovision.image.Box;
import org.hematovision.image.ImageFiles;
import org.hematovision.pipeline.FieldAnalyzer;
import org.hematovision.pipeline.StageTimings;
import org.hematovision.sample.CellCall;
import org.hematovision.sample.FieldTally;
import org.hematovision.sample.FieldReport;
import org.hematovision.segment.CellKind;
import org.hematovision.segment.CellRegion;
import org.hematovision.segment.ClassicalSegmenter;
import org.hematovision.segment.ScaleTracker;
import org.hematovision.store.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Segments and classifies still field images and lists every cell found. The images of one folder are taken as
 * fields of one slide: they share a slide scale (see {@link FieldAnalyzer}); another folder starts afresh.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Segment and classify still field images; print (or write as JSON) every detected cell.",
                "Images in one folder are taken as fields of one slide and share its scale."})
public final class AnalyzeCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config;

    @Option(names = "--json", paramLabel = "OUT", description = "Write the results as JSON to OUT.")
    Path json;

    @Parameters(arity = "1..*", paramLabel = "IMAGE_OR_DIR", description = "Field images, or directories walked recursively.")
    List<Path> inputs;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        AppConfig cfg = config.load();
        List<Path> files = ImageFiles.collect(inputs);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no image files under " + inputs);
        }
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        List<Map<String, Object>> results = new ArrayList<>();
        int unreadable = 0;
        try (TfCellClassifier classifier = TfCellClassifier.open(cfg.inference())) {
            // Counted as `run` counts them: a white-cell candidate the classifier calls an excluded label
            // (platelet) is a platelet, not a white cell.
            Set<String> excluded = classifier.metadata().excludedLabels();
            FieldAnalyzer analyzer = new FieldAnalyzer(new ClassicalSegmenter(cfg.segment()), classifier,
                    Clock.systemUTC(), new StageTimings(), ScaleTracker.of(cfg.segment()));
            long index = 0;
            for (Path file : files) {
                BgrImage image;
                try {
                    image = ImageFiles.read(file);
                } catch (IOException e) {
                    err.println("skipped " + e.getMessage());
                    unreadable++;
                    continue;
                }
                Field field = new Field(index, new Frame(index, 0, image), new FieldQuality(Double.NaN, Double.NaN,
                        Double.NaN, 0));
                index++;
                // One folder, one slide: its fields share the slide's scale.
                Path folder = file.toAbsolutePath().getParent();
                FieldReport report = analyzer.analyse("analyze:" + folder, field);
                FieldTally tally = FieldTally.of(report, excluded);
                results.add(describe(file, report, tally, excluded));
                print(out, file, report, tally, excluded);
            }
        }
        if (json != null) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            AtomicFiles.write(json, mapper.writeValueAsBytes(results));
            out.println("wrote " + json);
        }
        return unreadable == 0 ? 0 : 1;
    }

    private static void print(java.io.PrintWriter out, Path file, FieldReport r, FieldTally tally,
                              Set<String> excluded) {
        var seg = r.segmentation();
        out.printf(Locale.ROOT, "%s: %d WBC, %d RBC, %d PLT, %.3f um/px%s%n", file, tally.whiteCells(),
                tally.redCells(), tally.platelets(), seg.micronsPerPixel(), seg.usedSlideScale()
                        ? String.format(Locale.ROOT, " (slide's; field's own %.3f)", seg.fieldMicronsPerPixel()) : "");
        for (CellCall c : r.calls()) {
            Box b = c.region().box();
            out.printf(Locale.ROOT, "  %-3s %4d,%4d %3dx%-3d %-12s %.3f%s%n", kind(c, excluded), b.x(), b.y(),
                    b.width(), b.height(), c.countedLabel(), c.prediction().map(p -> (double) p.probability()).orElse(Double.NaN),
                    flags(c).isEmpty() ? "" : " " + String.join(",", flags(c)));
        }
    }

    private static List<String> flags(CellCall c) {
        List<String> f = new ArrayList<>();
        if (c.abnormal()) {
            f.add("abnormal");
        }
        if (c.review()) {
            f.add("review");
        }
        if (c.region().borderCut()) {
            f.add("border-cut");
        }
        return f;
    }

    /** The kind a call is counted as: {@code platelet} when the classifier calls it an excluded label. */
    private static String kind(CellCall c, Set<String> excluded) {
        return excluded.contains(c.countedLabel()) ? CellKind.PLATELET.wireName() : c.region().kind().wireName();
    }

    private static Map<String, Object> describe(Path file, FieldReport r, FieldTally tally, Set<String> excluded) {
        var seg = r.segmentation();
        List<Map<String, Object>> cells = new ArrayList<>();
        for (CellCall c : r.calls()) {
            Map<String, Object> m = cell(c.region());
            m.put("kind", kind(c, excluded));
            m.put("label", c.countedLabel());
            c.prediction().ifPresent(p -> {
                m.put("topLabel", p.topLabel());
                m.put("probability", p.probability());
            });
            m.put("flags", flags(c));
            cells.add(m);
        }
        seg.redCells().forEach(rc -> cells.add(cell(rc)));
        seg.platelets().forEach(pc -> cells.add(cell(pc)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image", file.toString());
        m.put("micronsPerPixel", Double.isNaN(seg.micronsPerPixel()) ? null : seg.micronsPerPixel());
        m.put("fieldMicronsPerPixel", Double.isNaN(seg.fieldMicronsPerPixel()) ? null : seg.fieldMicronsPerPixel());
        m.put("counts", Map.of("wbc", tally.whiteCells(), "rbc", tally.redCells(), "platelet", tally.platelets()));
        m.put("cells", cells);
        return m;
    }

    private static Map<String, Object> cell(CellRegion region) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", region.kind().wireName());
        Box b = region.box();
        m.put("box", List.of(b.x(), b.y(), b.width(), b.height()));
        return m;
    }
}
