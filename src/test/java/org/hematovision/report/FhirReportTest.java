package org.hematovision.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hematovision.sample.DifferentialReport;
import org.junit.jupiter.api.Test;

class FhirReportTest {

    private final FhirReport fhir = new FhirReport();

    private JsonNode bundle(DifferentialReport r) throws Exception {
        // through bytes, as a laboratory system receives it
        return new ObjectMapper().readTree(fhir.bytes(r, SampleReports.DEVICE));
    }

    @Test
    void bundleIsStructurallyValidR4() throws Exception {
        assertEquals(List.of(), FhirStructure.validate(bundle(SampleReports.eosinophilia())));
    }

    @Test
    void eachCellTypeHasItsLoincCodeValueAndUnit() throws Exception {
        DifferentialReport r = SampleReports.eosinophilia();
        Map<String, JsonNode> byLoinc = new HashMap<>();
        for (JsonNode e : bundle(r).path("entry")) {
            for (JsonNode c : e.path("resource").path("code").path("coding")) {
                if (c.path("system").asText().equals(FhirReport.LOINC)) {
                    byLoinc.put(c.path("code").asText(), e.path("resource"));
                }
            }
        }
        Map<String, Double> expected = Map.of("770-8", 52.0, "736-9", 24.0, "5905-5", 7.0, "713-8", 12.0,
                "706-2", 1.0, "38518-7", 2.0);
        expected.forEach((code, value) -> {
            JsonNode q = byLoinc.get(code).path("valueQuantity");
            assertEquals(value, q.path("value").asDouble(), 1e-9, code);
            assertEquals("%", q.path("code").asText(), code);
        });
        JsonNode nrbc = byLoinc.get("58413-6").path("valueQuantity");
        assertEquals(1.0, nrbc.path("value").asDouble(), 1e-9);
        assertEquals("/100{WBCs}", nrbc.path("code").asText());
        // 1 nRBC per 100 leukocytes is above the default limit of 0 only if its interval says so
        boolean nrbcFlag = r.flags().stream().anyMatch(f -> f.label().equals("erythroblast"));
        assertEquals(nrbcFlag ? "H" : "", byLoinc.get("58413-6").path("interpretation").path(0).path("coding").path(0)
                .path("code").asText(""));
        JsonNode eos = byLoinc.get("713-8");
        assertEquals("H", eos.path("interpretation").get(0).path("coding").get(0).path("code").asText());
        assertTrue(eos.path("note").get(0).path("text").asText().contains("12 of 100 leukocytes; 95% CI 6.4-20.0%"),
                eos.path("note").toString());
    }

    @Test
    void withoutLeukocytesThePercentagesAreAbsentNotZero() throws Exception {
        DifferentialReport r = SampleReports.noLeukocytes();
        JsonNode b = bundle(r);
        assertEquals(List.of(), FhirStructure.validate(b));
        int absent = 0;
        for (JsonNode e : b.path("entry")) {
            JsonNode obs = e.path("resource");
            if (!obs.path("resourceType").asText().equals("Observation")) {
                continue;
            }
            String id = obs.path("code").path("text").asText();
            if (obs.path("valueQuantity").path("code").asText().equals(FhirReport.UNIT_PER_HPF)) {
                continue; // the per-field estimates have fields to divide by
            }
            assertFalse(obs.has("valueQuantity"), id);
            JsonNode reason = obs.path("dataAbsentReason");
            assertEquals("http://terminology.hl7.org/CodeSystem/data-absent-reason",
                    reason.path("coding").path(0).path("system").asText(), id);
            assertEquals("not-performed", reason.path("coding").path(0).path("code").asText(), id);
            assertTrue(reason.path("text").asText().contains("No leukocyte"), id);
            absent++;
        }
        assertEquals(r.rows().size() + 1, absent, "every cell type and nRBC");
    }

    @Test
    void theCheckCatchesBrokenBundles() throws Exception {
        ObjectNode b = (ObjectNode) bundle(SampleReports.eosinophilia());
        ObjectNode obs = (ObjectNode) b.path("entry").get(2).path("resource");
        obs.put("status", "done");
        ((ObjectNode) obs.path("valueQuantity")).put("code", "percent");
        ((ObjectNode) obs.path("code").path("coding").get(0)).put("code", "770-7");
        List<String> problems = FhirStructure.validate(b);
        // status, LOINC check digit, unknown unit, unit != code, reference range in another unit
        assertEquals(5, problems.size(), problems.toString());
        assertFalse(FhirStructure.loincCheckDigitOk("770-7"));
        for (String code : List.of("770-8", "736-9", "5905-5", "713-8", "706-2", "38518-7", "58413-6", "69738-3")) {
            assertTrue(FhirStructure.loincCheckDigitOk(code), code);
        }
    }
}
