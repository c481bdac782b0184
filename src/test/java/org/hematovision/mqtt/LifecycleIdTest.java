package org.hematovision.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.hematovision.mqtt.outbox.FileOutbox;
import org.hematovision.mqtt.outbox.OutboxMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a restart a sample's start and finish reach the sinks again (resumed, or finished again from its
 * journal): the copies the publisher makes must carry the first copy's id, so subscribers drop them.
 */
class LifecycleIdTest {

    @TempDir
    Path tmp;

    @Test
    void aSamplesStartFinishAndReportKeepTheirIdsAcrossARestart() throws Exception {
        MqttConfig cfg = Fixtures.config("tcp://127.0.0.1:" + Mosquitto.freePort(), "dev-l", tmp.resolve("outbox"));
        for (int run = 0; run < 2; run++) { // the second run is the restart: nothing listens, all stays in the outbox
            try (MqttPublisher pub = new MqttPublisher(cfg, Fixtures.INFO, FileOutbox.open(cfg.outboxDir(),
                    cfg.outboxMaxBytes()), null, ConnectionListener.NONE)) {
                pub.sampleStarted("S1", 100);
                if (run == 0) {
                    pub.fieldAnalysed(Fixtures.field("S1", 0), Fixtures.differential("S1", 1));
                }
                pub.sampleFinished(Fixtures.differential("S1", 1), "target");
                pub.report("S1", new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("sampleId", "S1"));
                pub.sampleStarted("S2", 100);
            }
        }
        List<OutboxMessage> all;
        try (FileOutbox outbox = FileOutbox.open(cfg.outboxDir(), cfg.outboxMaxBytes())) {
            all = outbox.pending(0, 100);
        }
        Map<String, List<String>> idsByKind = all.stream().collect(Collectors.groupingBy(
                m -> m.sampleId() + " " + m.topic().substring(m.topic().lastIndexOf('/') + 1) + " " + event(m),
                Collectors.mapping(OutboxMessage::messageId, Collectors.toList())));
        for (String kind : List.of("S1 sample started", "S1 sample finished", "S1 report -", "S2 sample started")) {
            List<String> ids = idsByKind.get(kind);
            assertEquals(2, ids.size(), kind + ": one copy per run " + idsByKind);
            assertEquals(ids.get(0), ids.get(1), kind + ": the restart's copy has the same id");
        }
        assertNotEquals(idsByKind.get("S1 sample started").get(0), idsByKind.get("S2 sample started").get(0));
        assertNotEquals(idsByKind.get("S1 sample started").get(0), idsByKind.get("S1 sample finished").get(0));
        assertEquals(1, idsByKind.get("S1 field -").size());
    }

    private static String event(OutboxMessage m) {
        try {
            var n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(m.payload());
            return n.has("event") ? n.get("event").asText() : "-";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
