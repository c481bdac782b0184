package org.hematovision.mqtt.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tinylog.Logger;

/**
 * What the reference subscriber knows: per device the latest status and differential, and counters.
 * Messages are de-duplicated by {@code messageId} (the device may send a message twice after a
 * reconnect or a crash, never under a new id). Thread-safe.
 */
public final class DashboardState {

    /** Message ids remembered for de-duplication; far more than a device re-sends after a reconnect. */
    static final int REMEMBERED_IDS = 200_000;

    /** Devices shown at most; beyond it the one heard from least recently is forgotten. */
    static final int MAX_DEVICES = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LinkedHashSet<String> seen = new LinkedHashSet<>();
    private final TreeMap<String, Device> devices = new TreeMap<>();
    private long duplicates;
    private long rejected;
    private long accepted;

    /** One device as shown. */
    public record DeviceView(String deviceId, String status, String state, String softwareVersion, String model,
                             String sampleId, Map<String, Integer> counts, Map<String, Double> percent, int whiteCells,
                             int leukocytes, int targetCells, int fields,
                             long messages, long alerts, long dropped, long lastSeq, String lastTimestamp,
                             String storageProblem) {
    }

    /** Empty while the device can save; else how many counted fields it holds in memory, and why. */
    private static String storageProblem(JsonNode status) {
        JsonNode st = status.path("storage");
        if (st.isMissingNode() || st.path("writable").asBoolean(true)) {
            return "";
        }
        return "storage failing: " + st.path("fieldsInMemory").asInt() + " field(s) unsaved"
                + (st.path("reason").asText("").isEmpty() ? "" : " (" + st.path("reason").asText() + ")");
    }

    private static final class Device {
        JsonNode status;
        JsonNode differential;
        long messages;
        long alerts;
        long dropped;
        long lastSeq;
        String lastTimestamp = "";
        long lastHeard;
    }

    /**
     * Takes one message.
     *
     * @return true when it was new and applied; false for a duplicate or an invalid payload
     */
    public synchronized boolean accept(String topic, byte[] payload) {
        JsonNode n;
        try {
            n = JSON.readTree(payload);
        } catch (IOException e) {
            n = null;
        }
        if (n == null || !n.isObject() || n.path("schema").asInt() != 1 || !n.path("messageId").isTextual()
                || !n.path("deviceId").isTextual() || !n.path("type").isTextual()) {
            rejected++;
            Logger.debug("dashboard: ignored a message on {} that is not schema 1", topic);
            return false;
        }
        String deviceId = n.get("deviceId").asText();
        // A device publishes under its own id (<prefix>/<deviceId>/<type>): a payload naming another
        // device would overwrite that device's card.
        String[] levels = topic.split("/");
        JsonNode diffOfSample = n.path("differential");
        if (levels.length < 2 || !levels[levels.length - 2].equals(deviceId)
                || (n.get("type").asText().equals("sample") && !diffOfSample.isMissingNode() && !diffOfSample.isObject())) {
            rejected++;
            Logger.debug("dashboard: ignored a message on {} whose device id or shape does not fit", topic);
            return false;
        }
        if (!seen.add(n.get("messageId").asText())) {
            duplicates++;
            return false;
        }
        if (seen.size() > REMEMBERED_IDS) {
            seen.remove(seen.iterator().next());
        }
        if (!devices.containsKey(deviceId) && devices.size() >= MAX_DEVICES) {
            devices.entrySet().stream().min((a, b) -> Long.compare(a.getValue().lastHeard, b.getValue().lastHeard))
                    .ifPresent(oldest -> devices.remove(oldest.getKey()));
        }
        Device d = devices.computeIfAbsent(deviceId, k -> new Device());
        d.lastHeard = ++accepted;
        d.messages++;
        d.lastTimestamp = n.path("timestamp").asText();
        String type = n.get("type").asText();
        if (!type.equals("status")) {
            d.lastSeq = Math.max(d.lastSeq, n.path("seq").asLong());
        }
        switch (type) {
            case "status" -> d.status = n;
            case "differential" -> d.differential = n;
            case "sample" -> {
                if (n.path("event").asText().equals("finished") && n.has("differential")) {
                    ObjectNode diff = ((ObjectNode) n.get("differential")).deepCopy();
                    diff.put("sampleId", n.path("sampleId").asText());
                    d.differential = diff;
                } else if (n.path("event").asText().equals("started")) {
                    ObjectNode empty = JSON.createObjectNode();
                    empty.put("sampleId", n.path("sampleId").asText());
                    empty.putObject("counts");
                    empty.put("targetCells", n.path("targetCells").asInt());
                    d.differential = empty;
                }
            }
            case "alert" -> d.alerts++;
            case "dropped" -> d.dropped += n.path("count").asLong();
            default -> {
                // field messages only count
            }
        }
        return true;
    }

    public synchronized long duplicates() {
        return duplicates;
    }

    public synchronized long rejected() {
        return rejected;
    }

    public synchronized List<DeviceView> devices() {
        List<DeviceView> out = new ArrayList<>();
        for (var e : devices.entrySet()) {
            Device d = e.getValue();
            JsonNode s = d.status == null ? JSON.createObjectNode() : d.status;
            JsonNode diff = d.differential == null ? JSON.createObjectNode() : d.differential;
            Map<String, Integer> counts = new LinkedHashMap<>();
            diff.path("counts").properties().forEach(c -> counts.put(c.getKey(), c.getValue().asInt()));
            // The device's own figures per 100 leukocytes (nucleated red cells are not in the denominator),
            // so the dashboard agrees with the report instead of dividing by all white cells.
            Map<String, Double> percent = new LinkedHashMap<>();
            diff.path("percent").properties().forEach(c -> {
                // a non-number or non-finite value would reach the page as a string and break its drawing
                if (c.getValue().isNumber() && Double.isFinite(c.getValue().asDouble())) {
                    percent.put(c.getKey(), c.getValue().asDouble());
                }
            });
            int whiteCells = diff.path("whiteCells").asInt();
            out.add(new DeviceView(e.getKey(), s.path("status").asText("unknown"), s.path("state").asText(""),
                    s.path("softwareVersion").asText(""),
                    s.path("model").path("name").asText("") + " " + s.path("model").path("version").asText(""),
                    diff.path("sampleId").asText(""), counts, percent, whiteCells,
                    diff.path("leukocytes").asInt(whiteCells), diff.path("targetCells").asInt(), diff.path("fields").asInt(), d.messages, d.alerts, d.dropped,
                    d.lastSeq, d.lastTimestamp, storageProblem(s)));
        }
        return out;
    }

    /** The state as JSON for the web page. */
    public byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode arr = root.putArray("devices");
        for (DeviceView v : devices()) {
            arr.add(JSON.valueToTree(v));
        }
        root.put("duplicates", duplicates());
        root.put("rejected", rejected());
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("JSON tree could not be written", e);
        }
    }

    /** A plain-text table, one line per device. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-16s %-8s %-12s %-14s %6s %6s %7s %6s %7s  %s%n", "DEVICE", "STATUS", "STATE", "SAMPLE",
                "WBC", "FIELDS", "ALERTS", "DROP", "SEQ", "DIFFERENTIAL"));
        for (DeviceView v : devices()) {
            StringBuilder diff = new StringBuilder();
            for (var c : v.counts().entrySet()) {
                Double pct = v.percent().get(c.getKey());
                diff.append(pct == null ? String.format("%s %d  ", c.getKey(), c.getValue())
                        : String.format(java.util.Locale.ROOT, "%s %d (%.0f%%)  ", c.getKey(), c.getValue(), pct));
            }
            sb.append(String.format("%-16s %-8s %-12s %-14s %6d %6d %7d %6d %7d  %s%n", v.deviceId(), v.status(), v.state(),
                    v.sampleId(), v.whiteCells(), v.fields(), v.alerts(), v.dropped(), v.lastSeq(), diff.toString().trim()));
            if (!v.storageProblem().isEmpty()) {
                sb.append(String.format("%-16s %s%n", "", v.storageProblem()));
            }
        }
        sb.append(String.format("duplicates removed: %d, invalid ignored: %d%n", duplicates(), rejected()));
        return sb.toString();
    }
}
