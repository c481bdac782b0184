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
import org.hematovision.eval.segmentation.BccdDataset;
import org.hematovision.eval.segmentation.BccdDataset.FieldTruth;
import org.hematovision.eval.segmentation.Overlay;
import org.hematovision.eval.segmentation.Perturbation;
import org.hematovision.eval.segmentation.SegmentationEvaluation;
import org.hematovision.eval.segmentation.SegmentationEvaluation.FieldResult;
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

    @Override
    public Integer call() throws Exception {
        if (!split.equals("test") && !split.equals("all")) {
            throw new IllegalArgumentException("--split: \"" + split + "\" is not allowed (allowed: test, all)");
        }
        List<FieldTruth> fields = BccdDataset.load(bccd, split);
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("no annotated fields found in " + bccd + " for split " + split);
        }
        ClassicalSegmenter segmenter = new ClassicalSegmenter(SegmenterConfig.defaults());
        List<BgrImage> images = fields.stream().map(FieldTruth::load).toList();
        // Warm up the natives so the first field's time is not the JIT's.
        for (int i = 0; i < Math.min(20, images.size()); i++) {
            segmenter.segment(images.get(i));
        }
        List<Perturbation> conditions = robustness ? List.of(Perturbation.values()) : List.of(Perturbation.NONE);
        List<Summary> summaries = new ArrayList<>();
        List<FieldResult> clean = null;
        for (Perturbation p : conditions) {
            List<FieldResult> results = new ArrayList<>();
            for (int i = 0; i < fields.size(); i++) {
                BgrImage img = p == Perturbation.NONE ? images.get(i) : p.apply(images.get(i), 1000L + i);
                results.add(SegmentationEvaluation.evaluate(segmenter, fields.get(i), img));
            }
            if (p == Perturbation.NONE) {
                clean = results;
            }
            summaries.add(SegmentationEvaluation.summarize(p.description(), results));
        }
        List<SegmentationEvaluation.KnownLimitCase> known = SegmentationEvaluation.knownLimitCases(clean);

        System.out.printf(Locale.ROOT, "BCCD %s: %d fields, %d annotated white cells%n", split, fields.size(),
                summaries.get(0).truthWbc());
        System.out.println("| condition | recall | precision | mean IoU | found/truth WBC | RBC count |err| | RBC found/truth | platelet count |err| | median ms/field |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Summary s : summaries) {
            System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %d/%d | %.1f | %.2f | %.2f | %.2f |%n",
                    s.condition(), s.recall(), s.precision(), s.meanIou(), s.foundWbc(), s.truthWbc(),
                    s.rbcMeanAbsCountError(), s.rbcMeanCountRatio(), s.plateletMeanAbsCountError(), s.medianMillis());
        }
        System.out.printf(Locale.ROOT, "median scale %.4f um/px%n", summaries.get(0).medianMicronsPerPixel());
        System.out.println("Known BCCD annotation limits (counted above as errors, listed here):");
        known.forEach(k -> System.out.println("  " + k.id() + ": " + k.kind() + " " + k.box()));
        Summary c = summaries.get(0);
        long knownFalse = known.stream().filter(k -> k.kind().startsWith("found")).count();
        long knownMissed = known.stream().filter(k -> k.kind().startsWith("missed")).count();
        System.out.printf(Locale.ROOT, "Without these cases: recall %.3f (%d/%d), precision %.3f (%d/%d)%n",
                (double) c.matched() / (c.truthWbc() - knownMissed), c.matched(), c.truthWbc() - knownMissed,
                (double) c.matched() / (c.foundWbc() - knownFalse), c.matched(), c.foundWbc() - knownFalse);
        List<FieldResult> bad = clean.stream().filter(r -> r.errors() > 0)
                .sorted(Comparator.comparingInt(FieldResult::errors).reversed()).toList();
        System.out.println("Fields with white-cell errors: " + bad.size());
        bad.forEach(r -> System.out.printf(Locale.ROOT, "  %s truth %d found %d missed %d false %d%s%n", r.id(),
                r.truthWbc().size(), r.foundWbc().size(), r.missed(), r.falsePositives(),
                isKnown(r.id()) ? "  (known annotation limit)" : ""));

        if (pngDir != null) {
            Files.createDirectories(pngDir);
            List<FieldResult> draw = new ArrayList<>(bad.subList(0, Math.min(worst, bad.size())));
            clean.stream().filter(r -> r.errors() == 0 && !r.matches().isEmpty())
                    .sorted(Comparator.comparingDouble(FieldResult::meanIou)).limit(Math.max(0, worst - draw.size()))
                    .forEach(draw::add);
            for (FieldResult r : draw) {
                int i = indexOf(fields, r.id());
                Segmentation s = segmenter.segment(images.get(i));
                Overlay.write(images.get(i), r, s.platelets().stream().map(CellRegion::box).toList(),
                        s.rejected().stream().map(Segmentation.Rejection::box).toList(), pngDir.resolve(r.id() + ".png"));
            }
            System.out.println("overlays: " + pngDir.toAbsolutePath());
        }
        if (json != null) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("split", split);
            out.put("summaries", summaries);
            out.put("knownAnnotationLimits", known);
            out.put("fields", clean);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), out);
        }
        return 0;
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
