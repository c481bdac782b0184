package org.hematovision.mqtt.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link Outbox} contract, run against every implementation: order, acknowledgement, reopen,
 * bounds. Implementation-specific adversarial cases live in the subclasses.
 */
abstract class OutboxContract {

    @TempDir
    Path dir;

    /** Opens (or reopens, after close or a simulated crash) the outbox under test in {@code dir}. */
    abstract Outbox open(Path dir, long maxBytes) throws IOException;

    static OutboxMessage message(long seq, boolean droppable, int payloadBytes) {
        byte[] p = ("{\"seq\":" + seq + ",\"pad\":\"" + "x".repeat(Math.max(0, payloadBytes)) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        return new OutboxMessage(seq, UUID.randomUUID().toString(), "S1", 1_700_000_000_000L + seq,
                "hematovision/dev/" + (droppable ? "field" : "sample"), 1, false, droppable, p);
    }

    static List<Long> seqs(List<OutboxMessage> ms) {
        return ms.stream().map(OutboxMessage::seq).toList();
    }

    @Test
    void pendingIsInAppendOrderAndSurvivesReopen() throws IOException {
        List<OutboxMessage> sent = new ArrayList<>();
        try (Outbox o = open(dir, 1 << 20)) {
            for (long s = 1; s <= 50; s++) {
                OutboxMessage m = message(s, s % 3 != 0, 100);
                assertTrue(o.append(m));
                sent.add(m);
            }
            assertEquals(50, o.pendingCount());
            assertEquals(seqs(sent.subList(10, 20)), seqs(o.pending(10, 10)));
        }
        try (Outbox o = open(dir, 1 << 20)) {
            assertEquals(sent, o.pending(0, 1000), "same messages, byte for byte, after reopen");
            assertEquals(50, o.lastSequence());
        }
    }

    @Test
    void acknowledgedMessagesNeverComeBack() throws IOException {
        try (Outbox o = open(dir, 1 << 20)) {
            for (long s = 1; s <= 200; s++) {
                o.append(message(s, true, 200));
            }
            o.acknowledge(LongStream.rangeClosed(1, 120).boxed().toList());
            o.acknowledge(List.of(150L, 999L)); // unknown seq ignored
            assertEquals(79, o.pendingCount());
        }
        try (Outbox o = open(dir, 1 << 20)) {
            List<Long> expected = new ArrayList<>(LongStream.rangeClosed(121, 200).boxed().toList());
            expected.remove(150L);
            assertEquals(expected, seqs(o.pending(0, 1000)));
        }
    }

    @Test
    void sequenceNumbersAreNeverReusedEvenWhenEverythingWasAcknowledged() throws IOException {
        try (Outbox o = open(dir, 1 << 20)) {
            for (long s = 1; s <= 30; s++) {
                o.append(message(s, true, 10));
            }
            o.acknowledge(LongStream.rangeClosed(1, 30).boxed().toList());
            assertEquals(0, o.pendingCount());
        }
        try (Outbox o = open(dir, 1 << 20)) {
            assertEquals(30, o.lastSequence());
            assertThrows(IllegalArgumentException.class, () -> o.append(message(30, true, 10)));
        }
    }

    @Test
    void whenFullFieldMessagesGoFirstAndTheDropIsCounted() throws IOException {
        long max = 16 * 1024;
        try (Outbox o = open(dir, max)) {
            long s = 0;
            int stored = 0;
            int dropped = 0;
            for (int i = 0; i < 200; i++) {
                if (o.append(message(++s, true, 300))) {
                    stored++;
                } else {
                    dropped++;
                }
            }
            assertTrue(dropped > 0, "a 16 KB outbox cannot hold 200 x 300 B");
            assertTrue(o.diskBytes() <= max, o.diskBytes() + " <= " + max);
            Outbox.DropCount d = o.takeDropped();
            assertEquals(dropped, d.count());
            assertEquals(Outbox.DropCount.NONE, o.takeDropped(), "taken once");
            // summaries still get in, by evicting field messages
            for (int i = 0; i < 10; i++) {
                assertTrue(o.append(message(++s, false, 300)));
            }
            assertTrue(o.diskBytes() <= max);
            List<OutboxMessage> pending = o.pending(0, 10_000);
            assertEquals(10, pending.stream().filter(m -> !m.droppable()).count(), "every summary kept");
            assertTrue(o.takeDropped().count() > 0, "evictions counted");
            assertTrue(stored > 0);
        }
    }

    @Test
    void aSummaryThatCannotFitThrowsAndNothingIsStored() throws IOException {
        long max = 16 * 1024;
        try (Outbox o = open(dir, max)) {
            long s = 0;
            boolean threw = false;
            for (int i = 0; i < 100 && !threw; i++) {
                OutboxMessage m = message(++s, false, 500);
                int before = o.pendingCount();
                try {
                    o.append(m);
                } catch (OutboxFullException e) {
                    threw = true;
                    assertTrue(e.getMessage().contains("mqtt.outbox.maxBytes"), e.getMessage());
                    assertEquals(before, o.pendingCount(), "nothing stored");
                    assertFalse(seqs(o.pending(0, 1000)).contains(m.seq()));
                }
            }
            assertTrue(threw, "summaries alone eventually exceed 16 KB");
            assertTrue(o.diskBytes() <= max);
        }
    }
}
