package org.hematovision.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A structural check of the FHIR R4 bundle we emit, written from the R4 specification's resource
 * definitions (Bundle, DiagnosticReport, Observation, Device): required elements, value sets of the
 * status codes, formats of ids and dates, references that resolve, LOINC check digits and UCUM units.
 * Not a full FHIR validator (no profiles, no terminology server).
 */
final class FhirStructure {

    static final Set<String> BUNDLE_TYPES = Set.of("document", "message", "transaction", "transaction-response",
            "batch", "batch-response", "history", "searchset", "collection");
    static final Set<String> REPORT_STATUS = Set.of("registered", "partial", "preliminary", "final", "amended",
            "corrected", "appended", "cancelled", "entered-in-error", "unknown");
    static final Set<String> OBSERVATION_STATUS = Set.of("registered", "preliminary", "final", "amended", "corrected",
            "cancelled", "entered-in-error", "unknown");
    static final Set<String> UNITS = Set.of("%", "/100{WBCs}", "/[HPF]");
    /** The R4 DataAbsentReason code system (terminology.hl7.org). */
    static final Set<String> DATA_ABSENT_REASONS = Set.of("unknown", "asked-unknown", "temp-unknown", "not-asked",
            "asked-declined", "masked", "not-applicable", "unsupported", "as-text", "error", "not-a-number",
            "negative-infinity", "positive-infinity", "not-performed", "not-permitted");
    static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    static final Pattern UUID_URN = Pattern.compile("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    static final Pattern INSTANT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})");
    static final Pattern LOINC = Pattern.compile("\\d{1,7}-\\d");

    private final List<String> problems = new ArrayList<>();
    private final Map<String, JsonNode> byUrl = new HashMap<>();

    static List<String> validate(JsonNode bundle) {
        FhirStructure v = new FhirStructure();
        v.bundle(bundle);
        return v.problems;
    }

    /** LOINC's mod-10 check digit (a Luhn variant) over the part before the dash. */
    static boolean loincCheckDigitOk(String code) {
        String[] parts = code.split("-");
        String body = parts[0];
        int sum = 0;
        for (int i = 0; i < body.length(); i++) {
            int d = body.charAt(body.length() - 1 - i) - '0';
            if (i % 2 == 0) {
                d *= 2;
                d = d / 10 + d % 10;
            }
            sum += d;
        }
        return (10 - sum % 10) % 10 == Integer.parseInt(parts[1]);
    }

    private void bundle(JsonNode b) {
        expect(b.path("resourceType").asText().equals("Bundle"), "root is not a Bundle");
        expect(BUNDLE_TYPES.contains(b.path("type").asText()), "Bundle.type missing or invalid");
        expect(b.path("entry").isArray() && b.path("entry").size() > 0, "Bundle.entry empty");
        noEmptyValues(b, "Bundle");
        for (JsonNode e : b.path("entry")) {
            String url = e.path("fullUrl").asText();
            expect(UUID_URN.matcher(url).matches(), "entry.fullUrl is not a urn:uuid: " + url);
            JsonNode r = e.path("resource");
            expect(r.isObject() && r.has("resourceType"), "entry without resource/resourceType: " + url);
            expect(ID.matcher(r.path("id").asText()).matches(), "bad id " + r.path("id"));
            expect(url.endsWith(r.path("id").asText()), "fullUrl and id disagree: " + url);
            expect(byUrl.put(url, r) == null, "duplicate fullUrl " + url);
        }
        int reports = 0;
        for (JsonNode r : byUrl.values()) {
            switch (r.path("resourceType").asText()) {
                case "DiagnosticReport" -> {
                    reports++;
                    report(r);
                }
                case "Observation" -> observation(r);
                case "Device" -> expect(r.path("deviceName").isArray(), "Device without deviceName");
                default -> problems.add("unexpected resource " + r.path("resourceType"));
            }
        }
        expect(reports == 1, "expected one DiagnosticReport, got " + reports);
    }

    private void report(JsonNode r) {
        expect(REPORT_STATUS.contains(r.path("status").asText()), "DiagnosticReport.status invalid: " + r.path("status"));
        coding(r.path("code"), "DiagnosticReport.code");
        period(r.path("effectivePeriod"), "DiagnosticReport.effectivePeriod");
        expect(INSTANT.matcher(r.path("issued").asText()).matches(), "DiagnosticReport.issued not an instant");
        expect(r.path("result").size() > 0, "DiagnosticReport.result empty");
        for (JsonNode ref : r.path("result")) {
            JsonNode target = byUrl.get(ref.path("reference").asText());
            expect(target != null && target.path("resourceType").asText().equals("Observation"),
                    "DiagnosticReport.result does not resolve to an Observation: " + ref);
        }
    }

    private void observation(JsonNode o) {
        String id = o.path("id").asText();
        expect(OBSERVATION_STATUS.contains(o.path("status").asText()), "Observation.status invalid: " + id);
        coding(o.path("code"), "Observation.code " + id);
        period(o.path("effectivePeriod"), "Observation.effectivePeriod " + id);
        JsonNode q = o.path("valueQuantity");
        // R4 obs-6: dataAbsentReason only when there is no value
        boolean absent = o.has("dataAbsentReason");
        if (absent) {
            expect(!o.has("valueQuantity"), "Observation has both a value and a dataAbsentReason: " + id);
            JsonNode c = o.path("dataAbsentReason").path("coding").path(0);
            expect(c.path("system").asText().equals(FhirReport.DATA_ABSENT_REASON)
                    && DATA_ABSENT_REASONS.contains(c.path("code").asText()), "Observation.dataAbsentReason invalid: " + id);
        } else {
            expect(q.path("value").isNumber(), "Observation.valueQuantity.value not a number: " + id);
            quantity(q, "Observation.valueQuantity " + id);
        }
        for (JsonNode range : o.path("referenceRange")) {
            quantity(range.path("low"), "referenceRange.low " + id);
            quantity(range.path("high"), "referenceRange.high " + id);
            expect(range.path("low").path("value").asDouble() <= range.path("high").path("value").asDouble(),
                    "referenceRange low > high: " + id);
            expect(absent || range.path("low").path("code").equals(q.path("code")), "referenceRange unit differs: " + id);
        }
        JsonNode dev = byUrl.get(o.path("device").path("reference").asText());
        expect(dev != null && dev.path("resourceType").asText().equals("Device"), "Observation.device unresolved: " + id);
    }

    private void coding(JsonNode cc, String where) {
        expect(cc.path("coding").isArray() && cc.path("coding").size() > 0, where + " has no coding");
        for (JsonNode c : cc.path("coding")) {
            expect(!c.path("system").asText().isEmpty() && !c.path("code").asText().isEmpty(),
                    where + " coding without system/code");
            if (c.path("system").asText().equals(FhirReport.LOINC)) {
                String code = c.path("code").asText();
                expect(LOINC.matcher(code).matches() && loincCheckDigitOk(code), where + " bad LOINC code " + code);
            }
        }
    }

    private void quantity(JsonNode q, String where) {
        expect(q.path("system").asText().equals(FhirReport.UCUM), where + " not UCUM");
        expect(UNITS.contains(q.path("code").asText()), where + " unexpected unit " + q.path("code"));
        expect(q.path("unit").equals(q.path("code")), where + " unit and code differ");
    }

    private void period(JsonNode p, String where) {
        String start = p.path("start").asText();
        String end = p.path("end").asText();
        expect(INSTANT.matcher(start).matches() && INSTANT.matcher(end).matches(), where + " not dateTimes");
        expect(start.compareTo(end) <= 0, where + " start after end");
    }

    private void noEmptyValues(JsonNode n, String path) {
        if (n.isNull() || (n.isTextual() && n.asText().isEmpty()) || (n.isContainerNode() && n.isEmpty())) {
            problems.add("empty or null value at " + path + " (FHIR JSON forbids them)");
        }
        n.properties().forEach(e -> noEmptyValues(e.getValue(), path + "." + e.getKey()));
        if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                noEmptyValues(n.get(i), path + "[" + i + "]");
            }
        }
    }

    private void expect(boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }
}
