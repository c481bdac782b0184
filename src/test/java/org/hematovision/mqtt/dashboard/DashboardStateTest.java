package org.hematovision.mqtt.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DashboardStateTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void keepsLatestDifferentialAndDropsDuplicatesById() {
        DashboardState s = new DashboardState();
        String diff = "{\"schema\":1,\"type\":\"differential\",\"messageId\":\"%s\",\"deviceId\":\"d1\",\"sampleId\":\"S\","
                + "\"seq\":%d,\"timestamp\":\"2026-11-24T03:00:00Z\",\"counts\":{\"neutrophil\":%d,\"review\":1},"
                + "\"percent\":{\"neutrophil\":87.5,\"review\":12.5},\"whiteCells\":%d,\"fields\":%d,\"targetCells\":100}";
        assertTrue(s.accept("hematovision/d1/differential", b(String.format(diff, "id-1", 1, 3, 4, 1))));
        assertTrue(s.accept("hematovision/d1/differential", b(String.format(diff, "id-2", 2, 7, 8, 2))));
        assertFalse(s.accept("hematovision/d1/differential", b(String.format(diff, "id-1", 1, 3, 4, 1))), "duplicate");
        assertFalse(s.accept("hematovision/d1/differential", b("{\"schema\":2}")), "not schema 1");
        assertFalse(s.accept("hematovision/d1/differential", b("not json")));
        DashboardState.DeviceView v = s.devices().get(0);
        assertEquals(7, v.counts().get("neutrophil"));
        assertEquals(8, v.whiteCells());
        assertEquals(2, v.lastSeq());
        assertEquals(2, v.messages());
        assertEquals(1, s.duplicates());
        assertEquals(2, s.rejected());
        assertTrue(s.table().contains("neutrophil 7 (88%)"), s.table());
    }

    @Test
    void percentagesAreTheDevicesPerHundredLeukocytesNotOfAllWhiteCells() {
        // 60 neutrophils, 40 lymphocytes and 10 nucleated red cells: 60% and 10 nRBC per 100 leukocytes
        // in the device's report; dividing by the 110 white cells would show 55% and 9%
        DashboardState s = new DashboardState();
        assertTrue(s.accept("hematovision/d1/differential", b("{\"schema\":1,\"type\":\"differential\","
                + "\"messageId\":\"m1\",\"deviceId\":\"d1\",\"sampleId\":\"S\",\"seq\":1,"
                + "\"timestamp\":\"2026-11-24T03:00:00Z\",\"counts\":{\"neutrophil\":60,\"lymphocyte\":40,"
                + "\"erythroblast\":10},\"percent\":{\"neutrophil\":60.0,\"lymphocyte\":40.0,\"erythroblast\":10.0},"
                + "\"whiteCells\":110,\"leukocytes\":100,\"fields\":12,\"targetCells\":100}")));
        DashboardState.DeviceView v = s.devices().get(0);
        assertEquals(100, v.leukocytes());
        assertTrue(s.table().contains("neutrophil 60 (60%)"), s.table());
        assertTrue(s.table().contains("erythroblast 10 (10%)"), s.table());
        String json = new String(s.toJson(), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"percent\":{\"neutrophil\":60.0,\"lymphocyte\":40.0,\"erythroblast\":10.0}"), json);
    }

    @Test
    void oddMessagesAreRejectedNotThrownAndOneDeviceCannotOverwriteAnother() {
        DashboardState s = new DashboardState();
        String finished = "{\"schema\":1,\"type\":\"sample\",\"event\":\"finished\",\"messageId\":\"%s\","
                + "\"deviceId\":\"d1\",\"sampleId\":\"S\",\"seq\":3,\"differential\":%s}";
        // a throw here would reach Paho, which drops the connection and with it other devices' messages
        assertFalse(s.accept("hematovision/d1/sample", b(String.format(finished, "m1", "null"))));
        assertFalse(s.accept("hematovision/d1/sample", b(String.format(finished, "m2", "[1]"))));
        assertEquals(2, s.rejected());
        // published under d2's topic but claiming to be d1
        assertFalse(s.accept("hematovision/d2/sample", b(String.format(finished, "m3", "{\"counts\":{}}"))));
        assertEquals(3, s.rejected());
        assertTrue(s.devices().isEmpty(), s.devices()::toString);
        // a non-finite percentage is left out rather than passed on as the string "Infinity"
        assertTrue(s.accept("hematovision/d1/differential", b("{\"schema\":1,\"type\":\"differential\","
                + "\"messageId\":\"m4\",\"deviceId\":\"d1\",\"counts\":{\"neutrophil\":1},"
                + "\"percent\":{\"neutrophil\":1e400},\"whiteCells\":1,\"leukocytes\":1}")));
        assertTrue(s.devices().get(0).percent().isEmpty(), s.devices().get(0)::toString);
        assertFalse(new String(s.toJson(), StandardCharsets.UTF_8).contains("Infinity"));
    }

    @Test
    void theDeviceListIsBoundedAndForgetsTheLongestSilent() {
        DashboardState s = new DashboardState();
        String status = "{\"schema\":1,\"type\":\"status\",\"messageId\":\"%s\",\"deviceId\":\"%s\",\"status\":\"online\"}";
        for (int i = 0; i < DashboardState.MAX_DEVICES + 50; i++) {
            String id = "dev-" + i;
            assertTrue(s.accept("hematovision/" + id + "/status", b(String.format(status, "m" + i, id))));
            if (i == 900) {
                // dev-0 speaks again after dev-900: it is now more recent than dev-1..dev-900
                assertTrue(s.accept("hematovision/dev-0/status", b(String.format(status, "again", "dev-0"))));
            }
        }
        assertEquals(DashboardState.MAX_DEVICES, s.devices().size());
        java.util.Set<String> ids = new java.util.HashSet<>();
        s.devices().forEach(v -> ids.add(v.deviceId()));
        assertTrue(ids.contains("dev-0"), "heard from recently");
        assertFalse(ids.contains("dev-1"), "the longest silent is forgotten first");
        assertTrue(ids.contains("dev-" + (DashboardState.MAX_DEVICES + 49)));
    }

    @Test
    void aDeviceThatCannotSaveSaysSoUntilItCanAgain() {
        DashboardState s = new DashboardState();
        String status = "{\"schema\":1,\"type\":\"status\",\"messageId\":\"%s\",\"deviceId\":\"d1\",\"status\":\"online\","
                + "\"state\":\"analysing\",\"storage\":{\"writable\":%s,\"fieldsInMemory\":%d,\"reason\":\"%s\"}}";
        assertTrue(s.accept("hematovision/d1/status", b(String.format(status, "s1", "false", 7, "No space left on device"))));
        assertEquals("storage failing: 7 field(s) unsaved (No space left on device)", s.devices().get(0).storageProblem());
        assertTrue(s.table().contains("storage failing: 7 field(s) unsaved"), s.table());
        assertTrue(new String(s.toJson(), StandardCharsets.UTF_8).contains("\"storageProblem\":\"storage failing"));
        assertTrue(s.accept("hematovision/d1/status", b(String.format(status, "s2", "true", 0, ""))));
        assertEquals("", s.devices().get(0).storageProblem());
        assertFalse(s.table().contains("storage failing"), s.table());
    }
}
