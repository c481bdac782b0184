package org.hematovision.mqtt.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The contract, plus what a crash or a failing medium does to the files. */
class FileOutboxTest extends OutboxContract {

    @Override
    Outbox open(Path dir, long maxBytes) throws IOException {
        return FileOutbox.open(dir, maxBytes);
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("seg-")).sorted().toList();
        }
    }

    private void fill(int n) throws IOException {
        try (Outbox o = open(dir, 1 << 20)) {
            for (long s = 1; s <= n; s++) {
                o.append(message(s, true, 100));
            }
        }
    }

    @Test
    void theNumberOfADroppedMessageIsNotHandedOutAgainAfterARestart() throws IOException {
        long last;
        Path copy = dir.resolveSibling(dir.getFileName() + "-at-power-cut");
        try (Outbox o = open(dir, 16 * 1024)) {
            for (long s = 1; s <= 200; s++) {
                o.append(message(s, true, 300));
            }
            last = o.lastSequence();
            assertTrue(o.takeDropped().count() > 0, "the outbox was full");
            copyTree(dir, copy); // the files as a power cut before the drop report leaves them
        }
        try (Outbox o = open(copy, 16 * 1024)) {
            assertTrue(o.lastSequence() >= last, "the dropped numbers stay spent: " + o.lastSequence() + " >= " + last);
            assertTrue(o.lastSequence() <= last + FileOutbox.SEQ_RESERVE, "a bounded jump");
            assertTrue(o.diskBytes() <= 16 * 1024, "within its budget");
        }
        try (Outbox o = open(dir, 16 * 1024)) {
            assertEquals(last, o.lastSequence(), "after a clean close the exact number");
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    @Test
    void tornTailIsSkippedAndAppendsResumeCleanly() throws IOException {
        fill(20);
        Path last = segments().get(segments().size() - 1);
        long size = Files.size(last);
        try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw")) {
            f.setLength(size - 7); // power lost in the middle of writing record 20
        }
        try (Outbox o = open(dir, 1 << 20)) {
            assertEquals(1, o.corruptRecordsSkipped());
            assertEquals(LongStream.rangeClosed(1, 19).boxed().toList(), seqs(o.pending(0, 100)));
            assertTrue(o.append(message(21, true, 100)));
        }
        try (Outbox o = open(dir, 1 << 20)) {
            assertEquals(0, o.corruptRecordsSkipped(), "the torn tail was cut, not left before the new record");
            List<Long> expected = new ArrayList<>(LongStream.rangeClosed(1, 19).boxed().toList());
            expected.add(21L);
            assertEquals(expected, seqs(o.pending(0, 100)));
        }
    }

    @Test
    void aFlippedByteLosesOnlyItsOwnRecord() throws IOException {
        fill(20);
        Path seg = segments().get(0);
        byte[] data = Files.readAllBytes(seg);
        int recordLen = data.length / 20; // equal-sized records in this fill
        int victim = 5 * recordLen + recordLen / 2; // inside the payload of the 6th record
        data[victim] ^= 0x40;
        Files.write(seg, data);
        try (Outbox o = open(dir, 1 << 20)) {
            assertEquals(1, o.corruptRecordsSkipped());
            List<Long> expected = new ArrayList<>(LongStream.rangeClosed(1, 20).boxed().toList());
            expected.remove(Long.valueOf(6));
            assertEquals(expected, seqs(o.pending(0, 100)), "the reader resynchronised on the next record");
        }
    }

    @Test
    void garbageLengthFieldDoesNotSwallowTheFile() throws IOException {
        fill(10);
        Path seg = segments().get(0);
        byte[] data = Files.readAllBytes(seg);
        data[4] = 0x7f; // the first record's length now claims ~2 GB
        Files.write(seg, data);
        try (Outbox o = open(dir, 1 << 20)) {
            assertEquals(LongStream.rangeClosed(2, 10).boxed().toList(), seqs(o.pending(0, 100)));
        }
    }

    @Test
    void tornAckIsTreatedAsNotAcknowledged() throws IOException {
        try (Outbox o = open(dir, 1 << 20)) {
            for (long s = 1; s <= 5; s++) {
                o.append(message(s, true, 10));
            }
            o.acknowledge(List.of(1L, 2L));
            o.acknowledge(List.of(3L));
        }
        Path acks = dir.resolve("acks.log");
        try (RandomAccessFile f = new RandomAccessFile(acks.toFile(), "rw")) {
            f.setLength(f.length() - 3); // the ack of 3 was being written
        }
        try (Outbox o = open(dir, 1 << 20)) {
            assertEquals(List.of(3L, 4L, 5L), seqs(o.pending(0, 100)), "3 is sent again: a duplicate, not a loss");
        }
    }

    @Test
    void leftoverTempFileOfAnInterruptedRewriteIsIgnored() throws IOException {
        fill(5);
        Path seg = segments().get(0);
        Files.write(dir.resolve(seg.getFileName() + ".tmp"), new byte[] {1, 2, 3});
        try (Outbox o = open(dir, 1 << 20)) {
            assertEquals(5, o.pendingCount());
            assertEquals(0, o.corruptRecordsSkipped());
        }
    }

    @Test
    void fullyAcknowledgedSegmentsAreDeleted() throws IOException {
        try (Outbox o = open(dir, 64 * 1024)) { // 4 KB segments
            for (long s = 1; s <= 300; s++) {
                o.append(message(s, true, 100));
            }
            assertTrue(segments().size() > 3);
            o.acknowledge(LongStream.rangeClosed(1, 300).boxed().toList());
            assertTrue(segments().size() <= 1, "only the active segment is left: " + segments());
            assertTrue(o.diskBytes() < 8 * 1024, "space given back: " + o.diskBytes());
        }
    }

    @Test
    void aSegmentThatCannotBeCreatedAtRolloverFailsOnlyThatAppend() throws IOException {
        // 4 KB segments; a directory squats on the next segment's name, as a refused create would
        try (Outbox o = open(dir, 64 * 1024)) {
            long s = 0;
            while (segments().size() < 2) {
                assertTrue(o.append(message(++s, false, 100)));
            }
            Path next = segments().get(1);
            String name = next.getFileName().toString();
            String third = String.format("seg-%012d.log", Long.parseLong(name.substring(4, 16)) + 1);
            Path squat = Files.createDirectory(dir.resolve(third));
            long failedAt = -1;
            for (int i = 0; i < 200 && failedAt < 0; i++) {
                try {
                    o.append(message(++s, false, 100));
                } catch (IOException e) {
                    failedAt = s;
                }
            }
            assertTrue(failedAt > 0, "the rollover to " + third + " must fail");
            assertEquals(failedAt - 1, o.pendingCount(), "nothing stored by the failed append");
            assertEquals(failedAt - 1, o.lastSequence());
            // still failing while the medium refuses, with an I/O error rather than a crash
            long retry = failedAt;
            org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> o.append(message(retry, false, 100)));
            Files.delete(squat); // the medium takes writes again
            assertTrue(o.append(message(failedAt, false, 100)));
            assertTrue(o.append(message(failedAt + 1, false, 100)));
            o.acknowledge(LongStream.rangeClosed(1, 5).boxed().toList());
            assertEquals(failedAt + 1 - 5, o.pendingCount());
        }
        try (Outbox o = open(dir, 64 * 1024)) {
            assertEquals(0, o.corruptRecordsSkipped());
            assertEquals(6L, o.pending(0, 1).get(0).seq());
            assertEquals(o.lastSequence(), o.pending(0, 10_000).get(o.pendingCount() - 1).seq());
        }
    }
}
