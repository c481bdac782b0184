package org.hematovision.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.hematovision.sample.DifferentialReport;
import org.hematovision.sample.Flag;

/** The JSON record of a sample ({@code report.json}), format 1; documented in docs/sample.md. */
public final class ReportJson {

    public static final int FORMAT = 1;

    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ObjectNode tree(DifferentialReport r, DeviceInfo device, List<GalleryItem> gallery) {
        ObjectNode root = json.createObjectNode();
        root.put("format", FORMAT).put("sampleId", r.sampleId()).put("started", r.started().toString())
                .put("finished", r.finished().toString()).put("reason", r.reason()).put("complete", r.complete())
                .put("targetCells", r.targetCells()).put("leukocytes", r.leukocytes()).put("fields", r.fields())
                .put("confidence", r.confidence()).put("abnormal", r.abnormal());
        ArrayNode rows = root.putArray("differential");
        for (DifferentialReport.CellTypeResult c : r.rows()) {
            ObjectNode row = rows.addObject().put("label", c.label()).put("count", c.count())
                    .put("percent", round(c.percent())).put("ciLow", round(c.ci().lowerPercent()))
                    .put("ciHigh", round(c.ci().upperPercent()));
            if (c.reference() != null) {
                row.putObject("reference").put("low", c.reference().low()).put("high", c.reference().high());
            }
        }
        DifferentialReport.NrbcResult n = r.nrbc();
        ObjectNode nrbc = root.putObject("nrbc").put("count", n.count()).put("per100Leukocytes", round(n.per100()))
                .put("ciLow", round(n.low()));
        if (Double.isFinite(n.high())) {
            nrbc.put("ciHigh", round(n.high()));
        } else {
            nrbc.putNull("ciHigh");
        }
        root.putObject("estimates").put("redCellsPerField", round(r.redCellsPerField()))
                .put("plateletsPerField", round(r.plateletsPerField()));
        ArrayNode flags = root.putArray("flags");
        for (Flag f : r.flags()) {
            flags.addObject().put("code", f.code()).put("label", f.label()).put("text", f.text());
        }
        ArrayNode g = root.putArray("gallery");
        for (GalleryItem item : gallery) {
            ObjectNode o = g.addObject().put("file", item.file()).put("fieldFile", item.fieldFile())
                    .put("fieldIndex", item.fieldIndex()).put("kind", item.kind()).put("label", item.label())
                    .put("probability", round(item.probability()));
            o.putArray("box").add(item.box().x()).add(item.box().y()).add(item.box().width()).add(item.box().height());
        }
        root.putObject("device").put("name", device.device()).put("software", device.software())
                .put("model", device.modelName()).put("modelVersion", device.modelVersion());
        return root;
    }

    public byte[] bytes(DifferentialReport r, DeviceInfo device, List<GalleryItem> gallery) {
        try {
            return json.writeValueAsBytes(tree(r, device, gallery));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize report " + r.sampleId(), e);
        }
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
