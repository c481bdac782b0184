package org.hematovision.mqtt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import org.hematovision.image.Box;
import org.hematovision.mqtt.outbox.Outbox;
import org.hematovision.sample.Alert;
import org.hematovision.sample.CellCall;
import org.hematovision.sample.DeviceStatus;
import org.hematovision.sample.DifferentialSnapshot;
import org.hematovision.sample.FieldReport;
import org.hematovision.sample.StorageStatus;

/**
 * The JSON bodies of the messages (documented in {@code docs/mqtt.md}, schemas in {@code docs/mqtt/}).
 * Every body starts with the same envelope: {@code schema, type, messageId, deviceId, sampleId, seq,
 * timestamp}.
 */
final class Payloads {

    /** Version of the payload format; bumped on an incompatible change. */
    static final int SCHEMA = 1;

    static final ObjectMapper JSON = new ObjectMapper();

    private Payloads() {
    }

    static ObjectNode envelope(String type, String messageId, String deviceId, String sampleId, long seq, Instant time) {
        ObjectNode n = JSON.createObjectNode();
        n.put("schema", SCHEMA);
        n.put("type", type);
        n.put("messageId", messageId);
        n.put("deviceId", deviceId);
        if (sampleId == null || sampleId.isEmpty()) {
            n.putNull("sampleId");
        } else {
            n.put("sampleId", sampleId);
        }
        n.put("seq", seq);
        n.put("timestamp", time.toString());
        return n;
    }

    static void field(ObjectNode n, FieldReport r) {
        n.put("fieldIndex", r.field().index());
        ArrayNode cells = n.putArray("whiteCells");
        for (CellCall c : r.calls()) {
            ObjectNode cell = cells.addObject();
            box(cell.putObject("box"), c.region().box());
            cell.put("label", c.countedLabel());
            c.prediction().ifPresentOrElse(p -> {
                cell.put("topLabel", p.topLabel());
                cell.put("probability", p.probability());
            }, () -> {
                cell.putNull("topLabel");
                cell.putNull("probability");
            });
            cell.put("review", c.review());
            cell.put("abnormal", c.abnormal());
            cell.put("borderCut", c.region().borderCut());
        }
        n.put("redCells", r.segmentation().redCells().size());
        n.put("platelets", r.segmentation().platelets().size());
        double mpp = r.segmentation().micronsPerPixel();
        if (Double.isFinite(mpp)) {
            n.put("micronsPerPixel", mpp);
        } else {
            n.putNull("micronsPerPixel");
        }
    }

    static void differential(ObjectNode n, DifferentialSnapshot d) {
        ObjectNode counts = n.putObject("counts");
        ObjectNode percent = n.putObject("percent");
        for (Map.Entry<String, Integer> e : d.counts().entrySet()) {
            counts.put(e.getKey(), e.getValue());
            percent.put(e.getKey(), Math.round(d.percent(e.getKey()) * 10) / 10.0);
        }
        n.put("whiteCells", d.whiteCells());
        n.put("leukocytes", d.leukocytes());
        n.put("review", d.review());
        n.put("abnormal", d.abnormal());
        n.put("redCells", d.redCells());
        n.put("platelets", d.platelets());
        n.put("fields", d.fields());
        n.put("targetCells", d.targetCells());
    }

    static void alert(ObjectNode n, Alert a) {
        n.put("kind", a.kind().name().toLowerCase(java.util.Locale.ROOT));
        n.put("label", a.label());
        n.put("probability", a.probability());
        n.put("fieldIndex", a.fieldIndex());
        box(n.putObject("box"), a.box());
    }

    static void dropped(ObjectNode n, Outbox.DropCount d) {
        n.put("count", d.count());
        n.put("firstSeq", d.firstSeq());
        n.put("lastSeq", d.lastSeq());
        n.put("reason", "outbox full: per-field messages dropped to keep summaries and alerts");
    }

    static void status(ObjectNode n, boolean online, DeviceInfo info, DeviceStatus state, StorageStatus storage) {
        n.put("status", online ? "online" : "offline");
        n.put("softwareVersion", info.softwareVersion());
        ObjectNode model = n.putObject("model");
        model.put("name", info.modelName());
        model.put("version", info.modelVersion());
        n.put("configDigest", info.configDigest());
        n.put("state", state.state().name());
        n.put("detail", state.detail());
        ObjectNode disk = n.putObject("storage");
        disk.put("writable", storage.writable());
        disk.put("fieldsInMemory", storage.fieldsInMemory());
        disk.put("reason", storage.reason());
    }

    private static void box(ObjectNode n, Box b) {
        n.put("x", b.x());
        n.put("y", b.y());
        n.put("width", b.width());
        n.put("height", b.height());
    }

    static byte[] bytes(ObjectNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("JSON tree could not be written", e);
        }
    }
}
