package org.hematovision.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.hematovision.classify.Prediction;
import org.hematovision.sample.DifferentialReport;
import org.hematovision.sample.Flag;

/**
 * The sample as a FHIR R4 {@code Bundle} (type {@code collection}) holding one {@code DiagnosticReport},
 * one {@code Observation} per cell type (plus nRBC and the per-field estimates) and the {@code Device}
 * that measured them. Ids are name-based UUIDs of the sample id, so sending the same record twice
 * yields the same resources. Codes and units are listed, with how they were checked, in docs/sample.md.
 */
public final class FhirReport {

    public static final String LOINC = "http://loinc.org";
    public static final String UCUM = "http://unitsofmeasure.org";
    /** Local code system for cell types and estimates that have no LOINC code. */
    public static final String LOCAL = "urn:hematovision:cell-type";
    public static final String SAMPLE_ID_SYSTEM = "urn:hematovision:sample-id";
    public static final String DATA_ABSENT_REASON = "http://terminology.hl7.org/CodeSystem/data-absent-reason";

    /** Differential panel, method unspecified - Blood (the older 57023-4/24318-8 panels are discouraged). */
    public static final Code PANEL = new Code("69738-3", "Differential panel, method unspecified - Blood");

    /** LOINC codes of the relative counts ("/100 leukocytes in Blood", unit %). */
    public static final Map<String, Code> LOINC_CODES = Map.of(
            "neutrophil", new Code("770-8", "Neutrophils/100 leukocytes in Blood by Automated count"),
            "lymphocyte", new Code("736-9", "Lymphocytes/100 leukocytes in Blood by Automated count"),
            "monocyte", new Code("5905-5", "Monocytes/100 leukocytes in Blood by Automated count"),
            "eosinophil", new Code("713-8", "Eosinophils/100 leukocytes in Blood by Automated count"),
            "basophil", new Code("706-2", "Basophils/100 leukocytes in Blood by Automated count"),
            "ig", new Code("38518-7", "Immature granulocytes/100 leukocytes in Blood"));
    public static final Code NRBC = new Code("58413-6", "Nucleated erythrocytes/100 leukocytes [Ratio] in Blood by Automated count");

    public static final String UNIT_PERCENT = "%";
    public static final String UNIT_PER_100_WBC = "/100{WBCs}";
    public static final String UNIT_PER_HPF = "/[HPF]";

    /** A LOINC code and its long name. */
    public record Code(String code, String display) {
    }

    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public byte[] bytes(DifferentialReport r, DeviceInfo device) {
        try {
            return json.writeValueAsBytes(bundle(r, device));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the FHIR bundle of " + r.sampleId(), e);
        }
    }

    public ObjectNode bundle(DifferentialReport r, DeviceInfo device) {
        String obsStatus = r.aborted() ? "cancelled" : "preliminary";
        String reportStatus = r.aborted() ? "cancelled" : r.complete() ? "preliminary" : "partial";
        String ci = String.format(Locale.ROOT, "%.0f%% CI", 100 * r.confidence());

        ObjectNode bundle = json.createObjectNode();
        bundle.put("resourceType", "Bundle").put("id", uuid(r.sampleId(), "bundle")).put("type", "collection")
                .put("timestamp", r.finished().toString());
        bundle.putObject("identifier").put("system", SAMPLE_ID_SYSTEM).put("value", r.sampleId());
        ArrayNode entries = bundle.putArray("entry");

        String deviceId = uuid(r.sampleId(), "device");
        ObjectNode dev = entry(entries, deviceId);
        dev.put("resourceType", "Device").put("id", deviceId);
        dev.putArray("deviceName").addObject().put("name", device.device()).put("type", "user-friendly-name");
        ArrayNode versions = dev.putArray("version");
        versions.addObject().put("value", "hematovision " + device.software()).putObject("type").put("text", "software");
        versions.addObject().put("value", device.modelName() + " " + device.modelVersion()).putObject("type")
                .put("text", "classifier model");

        String reportId = uuid(r.sampleId(), "report");
        ObjectNode report = entry(entries, reportId);
        report.put("resourceType", "DiagnosticReport").put("id", reportId);
        report.putArray("identifier").addObject().put("system", SAMPLE_ID_SYSTEM).put("value", r.sampleId());
        report.put("status", reportStatus);
        report.putArray("category").addObject().putArray("coding").addObject()
                .put("system", "http://terminology.hl7.org/CodeSystem/v2-0074").put("code", "HM").put("display", "Hematology");
        ObjectNode code = report.putObject("code");
        code.putArray("coding").addObject().put("system", LOINC).put("code", PANEL.code()).put("display", PANEL.display());
        code.put("text", "White-cell differential (digital morphology)");
        report.putObject("effectivePeriod").put("start", r.started().toString()).put("end", r.finished().toString());
        report.put("issued", r.finished().toString());
        ArrayNode results = report.putArray("result");

        for (DifferentialReport.CellTypeResult row : r.rows()) {
            String id = uuid(r.sampleId(), "obs-" + row.label());
            results.addObject().put("reference", "urn:uuid:" + id);
            ObjectNode obs = observation(entries, id, obsStatus, r, deviceId, LOINC_CODES.get(row.label()), row.label(),
                    displayName(row.label()));
            perLeukocytes(obs, r, row.percent(), UNIT_PERCENT);
            if (row.reference() != null) {
                ObjectNode range = obs.putArray("referenceRange").addObject();
                quantity(range.putObject("low"), row.reference().low(), UNIT_PERCENT);
                quantity(range.putObject("high"), row.reference().high(), UNIT_PERCENT);
            }
            interpret(obs, r, row.label());
            obs.putArray("note").addObject().put("text", String.format(Locale.ROOT,
                    "%d of %d leukocytes; %s %.1f-%.1f%% (exact binomial, Clopper-Pearson)", row.count(),
                    r.leukocytes(), ci, row.ci().lowerPercent(), row.ci().upperPercent()));
        }

        String nrbcId = uuid(r.sampleId(), "obs-nrbc");
        results.addObject().put("reference", "urn:uuid:" + nrbcId);
        ObjectNode nrbc = observation(entries, nrbcId, obsStatus, r, deviceId, NRBC, "erythroblast",
                "Nucleated red cells per 100 leukocytes");
        perLeukocytes(nrbc, r, r.nrbc().per100(), UNIT_PER_100_WBC);
        interpret(nrbc, r, "erythroblast"); // the nRBC flag is raised on this label
        nrbc.putArray("note").addObject().put("text", String.format(Locale.ROOT, "%d nucleated red cells counted; %s %.1f-%s",
                r.nrbc().count(), ci, r.nrbc().low(),
                Double.isFinite(r.nrbc().high()) ? String.format(Locale.ROOT, "%.1f", r.nrbc().high()) : "unbounded"));

        estimate(entries, results, r, deviceId, obsStatus, "red-cells-per-field", "Red cells per field (estimate)",
                r.redCellsPerField());
        estimate(entries, results, r, deviceId, obsStatus, "platelets-per-field", "Platelets per field (estimate)",
                r.plateletsPerField());

        if (!r.flags().isEmpty()) {
            report.put("conclusion", String.join("; ", r.flags().stream().map(Flag::text).toList()));
        } else {
            report.put("conclusion", "No flags.");
        }
        return bundle;
    }

    private void estimate(ArrayNode entries, ArrayNode results, DifferentialReport r, String deviceId, String status,
                          String code, String display, double value) {
        String id = uuid(r.sampleId(), "obs-" + code);
        results.addObject().put("reference", "urn:uuid:" + id);
        ObjectNode obs = observation(entries, id, status, r, deviceId, null, code, display);
        quantity(obs.putObject("valueQuantity"), value, UNIT_PER_HPF);
        obs.putArray("note").addObject().put("text", "Mean over " + r.fields() + " fields; overlapping cells are split "
                + "heuristically, so this is an estimate, not a count.");
    }

    private ObjectNode observation(ArrayNode entries, String id, String status, DifferentialReport r, String deviceId,
                                   Code loinc, String localCode, String text) {
        ObjectNode obs = entry(entries, id);
        obs.put("resourceType", "Observation").put("id", id).put("status", status);
        obs.putArray("category").addObject().putArray("coding").addObject()
                .put("system", "http://terminology.hl7.org/CodeSystem/observation-category").put("code", "laboratory")
                .put("display", "Laboratory");
        ObjectNode code = obs.putObject("code");
        ArrayNode coding = code.putArray("coding");
        if (loinc != null) {
            coding.addObject().put("system", LOINC).put("code", loinc.code()).put("display", loinc.display());
        }
        coding.addObject().put("system", LOCAL).put("code", localCode).put("display", text);
        code.put("text", text);
        obs.putObject("effectivePeriod").put("start", r.started().toString()).put("end", r.finished().toString());
        obs.put("issued", r.finished().toString());
        obs.putObject("device").put("reference", "urn:uuid:" + deviceId);
        return obs;
    }

    /** "H" or "L" on the observation when a flag names {@code label}. */
    private static void interpret(ObjectNode obs, DifferentialReport r, String label) {
        String interp = interpretation(r, label);
        if (interp != null) {
            obs.putArray("interpretation").addObject().putArray("coding").addObject()
                    .put("system", "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation")
                    .put("code", interp);
        }
    }

    private static String interpretation(DifferentialReport r, String label) {
        for (Flag f : r.flags()) {
            if (f.label().equals(label)) {
                return f.text().contains(" below ") ? "L" : "H";
            }
        }
        return null;
    }

    /**
     * A value per 100 leukocytes, or, when none was counted, no value and the reason: 0 of 0 is not 0 %, and a
     * receiving system must not read it as a result.
     */
    private static void perLeukocytes(ObjectNode obs, DifferentialReport r, double value, String unit) {
        if (r.leukocytes() > 0) {
            quantity(obs.putObject("valueQuantity"), value, unit);
            return;
        }
        ObjectNode absent = obs.putObject("dataAbsentReason");
        absent.putArray("coding").addObject().put("system", DATA_ABSENT_REASON).put("code", "not-performed")
                .put("display", "Not Performed");
        absent.put("text", "No leukocyte was counted in " + r.fields() + " analysed field(s): there is no differential.");
    }

    private static void quantity(ObjectNode q, double value, String unit) {
        q.put("value", Math.round(value * 10) / 10.0).put("unit", unit).put("system", UCUM).put("code", unit);
    }

    private static ObjectNode entry(ArrayNode entries, String id) {
        ObjectNode e = entries.addObject();
        e.put("fullUrl", "urn:uuid:" + id);
        return e.putObject("resource");
    }

    static String displayName(String label) {
        return switch (label) {
            case "ig" -> "Immature granulocytes";
            case Prediction.REVIEW -> "Unidentified (review)";
            default -> Character.toUpperCase(label.charAt(0)) + label.substring(1) + "s";
        };
    }

    private static String uuid(String sampleId, String part) {
        return UUID.nameUUIDFromBytes((sampleId + "/" + part).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
