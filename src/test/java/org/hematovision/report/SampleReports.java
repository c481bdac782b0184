package org.hematovision.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hematovision.image.BgrImage;
import org.hematovision.image.Box;
import org.hematovision.sample.DifferentialReport;
import org.hematovision.sample.DifferentialSnapshot;
import org.hematovision.sample.FinishReason;
import org.hematovision.sample.FlagConfig;
import org.hematovision.sample.ReportBuilder;

/** A fixed synthetic sample for report tests and the golden page. */
public final class SampleReports {

    public static final DeviceInfo DEVICE = new DeviceInfo("hv-clinic-01", "0.1.0", "wbc-mobilenetv2-int8", "2026.11.1");
    static final Instant STARTED = Instant.parse("2026-11-24T08:00:00Z");
    static final Instant FINISHED = Instant.parse("2026-11-24T08:06:40Z");

    private SampleReports() {
    }

    /** 100 leukocytes with an eosinophilia, 2 immature granulocytes and 1 nRBC. */
    public static DifferentialReport eosinophilia() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("basophil", 1);
        counts.put("eosinophil", 12);
        counts.put("erythroblast", 1);
        counts.put("ig", 2);
        counts.put("lymphocyte", 24);
        counts.put("monocyte", 7);
        counts.put("neutrophil", 52);
        counts.put("review", 2);
        DifferentialSnapshot s = new DifferentialSnapshot("HV-20261124-080000", counts, 101, 2, 3, 4230, 212, 18, 100);
        return new ReportBuilder(FlagConfig.defaults()).build(s, STARTED, FINISHED, FinishReason.TARGET);
    }

    /** 3 fields with red cells, platelets and one nRBC but no leukocyte (e.g. the thick end of a smear). */
    public static DifferentialReport noLeukocytes() {
        DifferentialSnapshot s = new DifferentialSnapshot("HV-20261124-081500", Map.of("erythroblast", 1), 1, 0, 1,
                690, 41, 3, 100);
        return new ReportBuilder(FlagConfig.defaults()).build(s, STARTED, FINISHED, FinishReason.FIELD_LIMIT);
    }

    /** Drawn cells (not photographs): a pink background with a purple nucleus of varying shape. */
    public static List<ReportRenderer.Thumbnail> gallery() {
        String[][] cells = {{"eosinophil", "abnormal"}, {"ig", "abnormal"}, {"ig", "abnormal"},
                {"erythroblast", "abnormal"}, {"neutrophil", "review"}, {"monocyte", "review"}};
        List<ReportRenderer.Thumbnail> out = new ArrayList<>();
        for (int i = 0; i < cells.length; i++) {
            BufferedImage img = new BufferedImage(72, 72, BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = img.createGraphics();
            g.setColor(new Color(235, 200, 205));
            g.fillRect(0, 0, 72, 72);
            g.setColor(new Color(215, 160, 175));
            g.fillOval(8, 8, 56, 56);
            g.setColor(new Color(90 + 10 * i, 40, 130));
            g.fillOval(20 + i, 18, 26 - 2 * i, 34 - i);
            g.dispose();
            GalleryItem item = new GalleryItem("gallery/f" + i + ".png", "fields/field-" + i + ".png", 3L * i,
                    cells[i][1], cells[i][0], 0.9f - 0.1f * i, new Box(10 * i, 20, 60, 60));
            out.add(new ReportRenderer.Thumbnail(item, BgrImage.fromBufferedImage(img)));
        }
        return out;
    }
}
