package org.hematovision.eval.segmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hematovision.segment.ClassicalSegmenter;
import org.hematovision.segment.SegmenterConfig;
import org.hematovision.testing.TestData;
import org.junit.jupiter.api.Test;

/**
 * The segmenter on all BCCD fields must not fall more than 0.01 below the numbers README.md states, in the scale
 * mode the README states (per slide: the fields in file order as one sample; per field: each on its own scale).
 */
class BccdSegmentationTest {

    private static final double TOLERANCE = 0.01;

    @Test
    void matchesTheReadme() throws IOException {
        Path data = TestData.assumeShared();
        String readme = Files.readString(Path.of("README.md"));
        double recall = stated(readme, "white-cell recall (IoU ≥ 0.5)");
        double precision = stated(readme, "white-cell precision (IoU ≥ 0.5)");
        double meanIou = stated(readme, "mean IoU of matched white cells");
        SegmentationEvaluation.ScaleMode mode = statedMode(readme);

        List<BccdDataset.FieldTruth> fields = BccdDataset.load(data.resolve("bccd"), "all");
        assertEquals(364, fields.size(), "BCCD fields");
        SegmenterConfig config = SegmenterConfig.defaults();
        ClassicalSegmenter segmenter = new ClassicalSegmenter(config);
        List<SegmentationEvaluation.FieldResult> results = SegmentationEvaluation.run(segmenter, config, mode, fields,
                i -> fields.get(i).load()).results();
        SegmentationEvaluation.Summary s = SegmentationEvaluation.summarize("none", results);
        assertTrue(s.recall() >= recall - TOLERANCE, () -> "recall " + s.recall() + " < README " + recall);
        assertTrue(s.precision() >= precision - TOLERANCE, () -> "precision " + s.precision() + " < README " + precision);
        assertTrue(s.meanIou() >= meanIou - TOLERANCE, () -> "mean IoU " + s.meanIou() + " < README " + meanIou);
    }

    private static SegmentationEvaluation.ScaleMode statedMode(String readme) {
        Matcher m = Pattern.compile("^\\|\\s*scale\\s*\\|\\s*(per [a-z]+)", Pattern.MULTILINE).matcher(readme);
        assertTrue(m.find(), "README.md has no row \"| scale | per slide ... |\" or \"| scale | per field ... |\"");
        return SegmentationEvaluation.ScaleMode.ofLabel(m.group(1));
    }

    private static double stated(String readme, String label) {
        Matcher m = Pattern.compile("^\\|\\s*" + Pattern.quote(label) + "\\s*\\|\\s*([0-9]+\\.[0-9]+)\\s*\\|",
                Pattern.MULTILINE).matcher(readme);
        assertTrue(m.find(), () -> "README.md has no row \"| " + label + " | 0.xxx |\"");
        return Double.parseDouble(m.group(1));
    }
}
