package org.hematovision.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hematovision.sample.SampleControl;
import org.junit.jupiter.api.Test;

class CommandHandlerTest {

    /** A SampleControl that records what it was asked. */
    private static final class Recorder implements SampleControl {
        final List<String> calls = new ArrayList<>();

        @Override
        public void newSample() {
            calls.add("new");
        }

        @Override
        public void finishOrAcknowledge() {
            calls.add("finish");
        }

        @Override
        public void shutdown() {
            calls.add("shutdown");
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void onlyExactCommandsAreCarriedOutOnce() {
        Recorder r = new Recorder();
        CommandHandler h = new CommandHandler(r);
        String id = "7f0c2d4e-6a8b-4c1d-9e2f-3a4b5c6d7e8f";
        assertEquals("new-sample", h.handle(b("{\"schema\":1,\"command\":\"new-sample\"}"), false));
        assertEquals("finish", h.handle(b("{\"schema\":1,\"command\":\"finish\",\"messageId\":\"" + id + "\"}"), false));
        assertNull(h.handle(b("{\"schema\":1,\"command\":\"finish\",\"messageId\":\"" + id + "\"}"), false), "repeat");
        assertNull(h.handle(b("{\"schema\":1,\"command\":\"new-sample\"}"), true), "retained");
        assertNull(h.handle(b("{\"schema\":1,\"command\":\"shutdown\"}"), false), "not a remote command");
        assertNull(h.handle(b("{\"schema\":\"1\",\"command\":\"finish\"}"), false), "schema as string");
        assertNull(h.handle(b("{\"schema\":1,\"command\":\"finish\",\"messageId\":\"x\"}"), false), "id not a UUID");
        assertNull(h.handle(b("{\"schema\":1,\"command\":\"finish\",\"extra\":true}"), false), "unknown key");
        assertNull(h.handle(b("[1,2]"), false));
        assertNull(h.handle(b("{\"schema\":1,"), false), "truncated JSON");
        assertNull(h.handle(new byte[CommandHandler.MAX_PAYLOAD + 1], false), "oversized");
        assertEquals(List.of("new", "finish"), r.calls);
    }
}
