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
