package org.hematovision.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import org.hematovision.config.AppConfig;
import org.hematovision.config.Settings;
import org.hematovision.eval.segmentation.BccdDataset;
import org.hematovision.eval.segmentation.BccdDataset.FieldTruth;
import org.hematovision.eval.segmentation.Overlay;
import org.hematovision.eval.segmentation.Perturbation;
import org.hematovision.eval.segmentation.SegmentationEvaluation;
import org.hematovision.eval.segmentation.SegmentationEvaluation.FieldResult;
import org.hematovision.eval.segmentation.SegmentationEvaluation.Run;
import org.hematovision.eval.segmentation.SegmentationEvaluation.ScaleMode;
import org.hematovision.eval.segmentation.SegmentationEvaluation.Summary;
import org.hematovision.image.BgrImage;
import org.hematovision.segment.CellRegion;
import org.hematovision.segment.ClassicalSegmenter;
import org.hematovision.segment.Segmentation;
import org.hematovision.segment.SegmenterConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code eval-segmentation}: white-cell recall/precision/IoU on BCCD, counts, timing, robustness. */
@Command(name = "eval-segmentation", mixinStandardHelpOptions = true,
        description = "Evaluate the classical segmenter on BCCD fields (Pascal VOC boxes).")
public final class EvalSegmentationCommand implements Callable<Integer> {

    @Option(names = "--bccd", required = true, description = "BCCD folder (Annotations/, JPEGImages/, ImageSets/)")
    Path bccd;

    @Option(names = "--split", defaultValue = "all", description = "test or all (default: ${DEFAULT-VALUE})")
    String split;

    @Option(names = "--json", description = "write per-field results and summaries here")
    Path json;

    @Option(names = "--png-dir", description = "write truth-vs-found overlays of the worst fields here")
    Path pngDir;

    @Option(names = "--worst", defaultValue = "12", description = "how many worst fields to draw (default: ${DEFAULT-VALUE})")
    int worst;

    @Option(names = "--robustness", description = "also run every field under each moderate perturbation")
    boolean robustness;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one segment.* setting (docs/configuration.md); repeatable. Default: the defaults.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        if (!split.equals("test") && !split.equals("all")) {
            throw new IllegalArgumentException("--split: \"" + split + "\" is not allowed (allowed: test, all)");
        }
        List<FieldTruth> fields = BccdDataset.load(bccd, split);
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("no annotated fields found in " + bccd + " for split " + split);
        }
        SegmenterConfig config = AppConfig.from(Settings.load(null, overrides)).segment();
        ClassicalSegmenter segmenter = new ClassicalSegmenter(config);
        // Images are decoded when needed: all of BCCD at once would not fit the launcher's small heap.
        IntFunction<BgrImage> clean = i -> fields.get(i).load();
        // Warm up the natives so the first field's time is not the JIT's.
        for (int i = 0; i < Math.min(20, fields.size()); i++) {
            segmenter.segment(clean.apply(i));
        }
        // All BCCD fields come from one microscope and camera at one magnification: one session, in file order, as
        // the pipeline runs one sample. The per-field scale is evaluated too, for comparison.
        Run slide = SegmentationEvaluation.run(segmenter, config, ScaleMode.PER_SLIDE, fields, clean);
        Run perField = SegmentationEvaluation.run(segmenter, config, ScaleMode.PER_FIELD, fields, clean);
        List<Summary> summaries = new ArrayList<>();
        summaries.add(SegmentationEvaluation.summarize(Perturbation.NONE.description(), slide.results()));
        List<String> modes = new ArrayList<>(List.of(ScaleMode.PER_SLIDE.label()));
        summaries.add(SegmentationEvaluation.summarize(Perturbation.NONE.description(), perField.results()));
        modes.add(ScaleMode.PER_FIELD.label());
        if (robustness) {
            for (Perturbation p : Perturbation.values()) {
                if (p == Perturbation.NONE) {
                    continue;
                }
                Run r = SegmentationEvaluation.run(segmenter, config, ScaleMode.PER_SLIDE, fields,
                        i -> p.apply(fields.get(i).load(), 1000L + i));
                summaries.add(SegmentationEvaluation.summarize(p.description(), r.results()));
                modes.add(ScaleMode.PER_SLIDE.label());
            }
        }

        System.out.printf(Locale.ROOT, "BCCD %s: %d fields, %d annotated white cells; per slide = the fields in file "
                + "order as one sample (slide scale after %d fields, %s)%n", split,
                fields.size(), summaries.get(0).truthWbc(), config.slideScaleMinFields(),
                config.slideScaleTolerance() == 0 ? "then for every field"
                        : String.format(Locale.ROOT, "own scale within %.0f %%", 100 * config.slideScaleTolerance()));
        System.out.println("| condition | scale | recall | precision | mean IoU | found/truth WBC | RBC count |err| "
                + "| RBC found/truth | platelet count |err| | median ms/field |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (int i = 0; i < summaries.size(); i++) {
            Summary s = summaries.get(i);
            System.out.printf(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.3f | %d/%d | %.1f | %.2f | %.2f | %.2f |%n",
                    s.condition(), modes.get(i), s.recall(), s.precision(), s.meanIou(), s.foundWbc(), s.truthWbc(),
                    s.rbcMeanAbsCountError(), s.rbcMeanCountRatio(), s.plateletMeanAbsCountError(), s.medianMillis());
        }
        System.out.printf(Locale.ROOT, "median scale %.4f um/px; per slide: the slide's scale replaced the field's own "
                + "in %d fields%n", summaries.get(0).medianMicronsPerPixel(), slide.slideScaleUsed());
        List<SegmentationEvaluation.KnownLimitCase> known = SegmentationEvaluation.knownLimitCases(slide.results());
        System.out.println("Known BCCD annotation limits (per slide; counted above as errors, listed here):");
        known.forEach(k -> System.out.println("  " + k.id() + ": " + k.kind() + " " + k.box()));
        withoutKnown(ScaleMode.PER_SLIDE, summaries.get(0), known);
        withoutKnown(ScaleMode.PER_FIELD, summaries.get(1), SegmentationEvaluation.knownLimitCases(perField.results()));
        List<FieldResult> bad = slide.results().stream().filter(r -> r.errors() > 0)
                .sorted(Comparator.comparingInt(FieldResult::errors).reversed()).toList();
        System.out.println("Fields with white-cell errors (per slide): " + bad.size());
        bad.forEach(r -> System.out.printf(Locale.ROOT, "  %s truth %d found %d missed %d false %d%s%s%n", r.id(),
                r.truthWbc().size(), r.foundWbc().size(), r.missed(), r.falsePositives(),
                Double.compare(r.micronsPerPixel(), r.fieldMicronsPerPixel()) != 0
                        ? String.format(Locale.ROOT, "  (slide scale %.4f, own %.4f)", r.micronsPerPixel(),
                                r.fieldMicronsPerPixel()) : "",
                isKnown(r.id()) ? "  (known annotation limit)" : ""));

        if (pngDir != null) {
            Files.createDirectories(pngDir);
            List<FieldResult> draw = new ArrayList<>(bad.subList(0, Math.min(worst, bad.size())));
            slide.results().stream().filter(r -> r.errors() == 0 && !r.matches().isEmpty())
                    .sorted(Comparator.comparingDouble(FieldResult::meanIou)).limit(Math.max(0, worst - draw.size()))
                    .forEach(draw::add);
            for (FieldResult r : draw) {
                int i = indexOf(fields, r.id());
                BgrImage image = clean.apply(i);
                Segmentation s = segmenter.segment(image, slide.hints().get(i));
                Overlay.write(image, r, s.platelets().stream().map(CellRegion::box).toList(),
                        s.rejected().stream().map(Segmentation.Rejection::box).toList(), pngDir.resolve(r.id() + ".png"));
            }
            System.out.println("overlays: " + pngDir.toAbsolutePath());
        }
        if (json != null) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("split", split);
            out.put("scaleModes", modes);
            out.put("summaries", summaries);
            out.put("knownAnnotationLimits", known);
            out.put("fields", slide.results());
            out.put("fieldsPerFieldScale", perField.results());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), out);
        }
        return 0;
    }

    private static void withoutKnown(ScaleMode mode, Summary c, List<SegmentationEvaluation.KnownLimitCase> known) {
        long knownFalse = known.stream().filter(k -> k.kind().startsWith("found")).count();
        long knownMissed = known.stream().filter(k -> k.kind().startsWith("missed")).count();
        System.out.printf(Locale.ROOT, "Without these cases (%s): recall %.3f (%d/%d), precision %.3f (%d/%d)%n",
                mode.label(), (double) c.matched() / (c.truthWbc() - knownMissed), c.matched(),
                c.truthWbc() - knownMissed, (double) c.matched() / (c.foundWbc() - knownFalse), c.matched(),
                c.foundWbc() - knownFalse);
    }

    private static boolean isKnown(String id) {
        return BccdDataset.UNANNOTATED_WHITE_CELLS.contains(id) || BccdDataset.PLATELET_LABELLED_WBC.contains(id);
    }

    private static int indexOf(List<FieldTruth> fields, String id) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).id().equals(id)) {
                return i;
            }
        }
        throw new IllegalStateException("unknown field " + id);
    }
}
