package org.hematovision.mqtt.outbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.tinylog.Logger;

/**
 * {@link Outbox} as a write-ahead log in a directory.
 *
 * <ul>
 *   <li>{@code seg-NNNN.log}: messages, framed with length and CRC32 ({@link RecordLog}), appended and
 *       {@code fsync}ed; a segment is deleted once every message in it is acknowledged or evicted.</li>
 *   <li>{@code acks.log}: acknowledged sequence numbers, same framing, appended and synced; rewritten by
 *       atomic rename when it grows, keeping the high-water sequence number.</li>
 *   <li>Eviction rewrites a segment without its droppable messages by atomic rename (write a temp
 *       file, sync, rename, sync the directory), so a crash leaves either the old or the new file.</li>
 * </ul>
 * A torn record at the end of the active segment is cut off on open; a corrupt record elsewhere is
 * skipped and the reader resynchronises on the next intact record.
 *
 * <p>Storage full or read-only when it is opened: it opens anyway with what it can read (pending
 * messages are delivered, sequence numbers continue), and appends fail with an {@link IOException}
 * (as when the disk fills later) until the files can be opened for writing again; each append tries.
 * Only a directory that cannot exist (a file in its path) fails the open.
 */
public final class FileOutbox implements Outbox {

    private static final String SEGMENT_PREFIX = "seg-";
    private static final String SEGMENT_SUFFIX = ".log";
    private static final String ACKS = "acks.log";
    private static final byte ACK = 'A';
    private static final byte HIGH_WATER = 'H';
    /** Sequence numbers recorded as spent at a time while messages are dropped. */
    static final long SEQ_RESERVE = 1024;

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    /** seq → pending message and the segment holding it, in sequence order. */
    private final TreeMap<Long, Entry> pending = new TreeMap<>();
    /** segment number → seqs still pending in it. */
    private final TreeMap<Long, TreeSet<Long>> liveBySegment = new TreeMap<>();
    private final Map<Long, Long> segmentSizes = new HashMap<>();
    private final int corruptSkipped;
    private long lastSeq;
    private long activeSegment;
    private FileChannel active;
    private FileChannel acks;
    /** Sequence numbers up to this one are recorded as spent in the ack log (see reserveNumbers). */
    private long reservedSeq;
    private long acksSize;
    private int dropped;
    private long droppedFirst;
    private long droppedLast;
    private boolean closed;

    private record Entry(long segment, OutboxMessage message) {
    }

    /**
     * Opens (or creates) the outbox in {@code dir}.
     *
     * @param maxBytes disk budget for segments and acknowledgements together
     */
    public static FileOutbox open(Path dir, long maxBytes) throws IOException {
        return new FileOutbox(dir, maxBytes);
    }

    private FileOutbox(Path dir, long maxBytes) throws IOException {
        if (maxBytes < 4096) {
            throw new IllegalArgumentException("outbox maxBytes must be >= 4096, got " + maxBytes);
        }
        this.dir = dir;
        this.maxBytes = maxBytes;
        // several segments, so acknowledged space is given back long before the budget is reached
        this.segmentBytes = Math.max(2048, Math.min(4L * 1024 * 1024, maxBytes / 16));
        if (!createDirectory(dir)) {
            Logger.warn("Outbox {} cannot be created now (storage full or read-only?): messages are not stored "
                    + "until it can be", dir);
            this.corruptSkipped = 0;
            activeSegment = 1;
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path tmp : s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
                // an interrupted rewrite: the original is still in place
                mayFail(() -> Files.delete(tmp), "remove " + tmp);
            }
        }
        TreeSet<Long> acked = new TreeSet<>();
        int corrupt = readAcks(acked);
        corrupt += readSegments(acked);
        this.corruptSkipped = corrupt;
        reservedSeq = lastSeq;
        for (var it = liveBySegment.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().isEmpty() && e.getKey() != lastSegmentNumber()) {
                try {
                    Files.deleteIfExists(segmentPath(e.getKey()));
                } catch (IOException ex) {
                    // still on disk: stays known, so compaction keeps its acks and it is not sent again
                    Logger.debug("Outbox {}: cannot remove a delivered segment now: {}", dir, ex.getMessage());
                    continue;
                }
                segmentSizes.remove(e.getKey());
                it.remove();
            }
        }
        activeSegment = liveBySegment.isEmpty() ? 1 : liveBySegment.lastKey();
        if (corrupt > 0) {
            Logger.warn("Outbox {}: {} corrupt or torn record(s) skipped, {} message(s) pending", dir, corrupt, pending.size());
        }
        try {
            openActive();
        } catch (IOException e) {
            Logger.warn("Outbox {}: storage refuses writes now ({}); {} pending message(s) are delivered, new ones are "
                    + "not stored until it takes writes again", dir, e.getMessage(), pending.size());
            closeChannels();
            return;
        }
        // only an optimisation: with the disk full it waits for the next acknowledgements
        mayFail(() -> compactAcksIfLarge(true), "compact " + ACKS);
    }

    /**
     * Creates {@code dir}; false when the storage refuses (full or read-only). A regular file in its
     * path can never work: that is a configuration error and throws.
     */
    private static boolean createDirectory(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
            return true;
        } catch (IOException e) {
            for (Path p = dir; p != null; p = p.getParent()) {
                if (Files.exists(p)) {
                    if (!Files.isDirectory(p)) {
                        throw e;
                    }
                    return false;
                }
            }
            throw e;
        }
    }

    private interface IoStep {
        void run() throws IOException;
    }

    /** A clean-up that may wait: with the storage read-only it is done at a later open. */
    private void mayFail(IoStep step, String what) {
        try {
            step.run();
        } catch (IOException e) {
            Logger.debug("Outbox {}: cannot {} now: {}", dir, what, e.getMessage());
        }
    }

    /** Opens the files for writing if the storage refused earlier; throws while it still does. */
    private void ensureWritable() throws IOException {
        if (active != null) {
            return;
        }
        Files.createDirectories(dir);
        try {
            openActive();
        } catch (IOException e) {
            closeChannels();
            throw e;
        }
        Logger.info("Outbox {}: storage takes writes again", dir);
    }

    /** Disk full while a temp file was written: it goes, the original stays in place. */
    private static void deletePartial(Path tmp, IOException cause) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            cause.addSuppressed(e); // removed at the next open
        }
    }

    private void closeChannels() {
        for (FileChannel ch : new FileChannel[] {active, acks}) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException e) {
                    Logger.debug("Outbox {}: close: {}", dir, e.getMessage());
                }
            }
        }
        active = null;
        acks = null;
        acksSize = 0;
    }

    private long lastSegmentNumber() {
        return liveBySegment.isEmpty() ? 0 : liveBySegment.lastKey();
    }

    private int readAcks(TreeSet<Long> acked) throws IOException {
        Path p = dir.resolve(ACKS);
        if (!Files.exists(p)) {
            return 0;
        }
        RecordLog.Scan scan = RecordLog.scan(Files.readAllBytes(p));
        for (byte[] body : scan.bodies()) {
            if (body.length != 9) {
                continue;
            }
            ByteBuffer b = ByteBuffer.wrap(body);
            byte kind = b.get();
            long seq = b.getLong();
            if (kind == ACK) {
                acked.add(seq);
            }
            lastSeq = Math.max(lastSeq, seq);
        }
        // a torn ack is as if never written: the message is sent again. If the storage refuses the cut,
        // later acks follow the torn bytes and the scan resynchronises on them.
        mayFail(() -> {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                ch.truncate(scan.goodEnd());
                ch.force(true);
            }
        }, "cut a torn acknowledgement");
        return scan.corrupt();
    }

    private int readSegments(TreeSet<Long> acked) throws IOException {
        List<Path> segments;
        try (Stream<Path> s = Files.list(dir)) {
            segments = s.filter(FileOutbox::isSegment).sorted().toList();
        }
        int corrupt = 0;
        for (int i = 0; i < segments.size(); i++) {
            Path p = segments.get(i);
            long number = segmentNumber(p);
            RecordLog.Scan scan = RecordLog.scan(Files.readAllBytes(p));
            corrupt += scan.corrupt();
            TreeSet<Long> live = new TreeSet<>();
            for (byte[] body : scan.bodies()) {
                OutboxMessage m;
                try {
                    m = RecordLog.decode(body);
                } catch (IOException | RuntimeException e) {
                    corrupt++;
                    continue;
                }
                lastSeq = Math.max(lastSeq, m.seq());
                if (!acked.contains(m.seq()) && !pending.containsKey(m.seq())) {
                    pending.put(m.seq(), new Entry(number, m));
                    live.add(m.seq());
                }
            }
            if (i == segments.size() - 1 && scan.goodEnd() < Files.size(p)) {
                // torn tail of the segment being written at the crash: cut it so appends resume cleanly
                // (if the storage refuses, appends follow the torn bytes and the scan skips them)
                mayFail(() -> {
                    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                        ch.truncate(scan.goodEnd());
                        ch.force(true);
                    }
                }, "cut a torn record");
            }
            liveBySegment.put(number, live);
            segmentSizes.put(number, Files.size(p));
        }
        return corrupt;
    }

    private void openActive() throws IOException {
        Path p = segmentPath(activeSegment);
        boolean created = !Files.exists(p);
        active = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        if (created) {
            syncDirectory();
        }
        liveBySegment.putIfAbsent(activeSegment, new TreeSet<>());
        segmentSizes.put(activeSegment, active.size());
        acks = FileChannel.open(dir.resolve(ACKS), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        acksSize = acks.size();
    }

    @Override
    public synchronized boolean append(OutboxMessage m) throws IOException {
        ensureOpen();
        ensureWritable();
        if (m.seq() <= lastSeq) {
            throw new IllegalArgumentException("seq " + m.seq() + " is not above the last sequence " + lastSeq);
        }
        byte[] record = RecordLog.frame(RecordLog.encode(m));
        if (diskBytes() + record.length > maxBytes) {
            if (m.droppable()) {
                countDrop(m.seq(), m.seq());
                lastSeq = m.seq(); // the number is spent: it appears in the drop report
                reserveNumbers();
                return false;
            }
            evictDroppable(diskBytes() + record.length - maxBytes);
            if (diskBytes() + record.length > maxBytes) {
                throw new OutboxFullException("outbox " + dir + " is full (" + diskBytes() + " of " + maxBytes
                        + " bytes, " + pending.size() + " pending summaries/alerts); reconnect the broker, or raise "
                        + "mqtt.outbox.maxBytes (up to 64 MiB)");
            }
        }
        if (segmentSizes.get(activeSegment) + record.length > segmentBytes && segmentSizes.get(activeSegment) > 0) {
            roll();
        }
        long before = active.size();
        try {
            active.write(ByteBuffer.wrap(record));
            active.force(false);
        } catch (IOException e) {
            // keep the contract "if it throws, nothing was stored": cut off the partial record
            try {
                active.truncate(before);
                active.force(false);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed); // left as a torn record: skipped by the CRC check on open
            }
            throw e;
        }
        segmentSizes.put(activeSegment, before + record.length);
        pending.put(m.seq(), new Entry(activeSegment, m));
        liveBySegment.get(activeSegment).add(m.seq());
        lastSeq = m.seq();
        return true;
    }

    private void roll() throws IOException {
        long full = activeSegment;
        // With the channels closed and null, a refusal below (read-only remount, no space for the new
        // file) fails only this append: the next append or acknowledge reopens (ensureWritable).
        closeChannels();
        activeSegment = full + 1;
        if (liveBySegment.get(full).isEmpty()) {
            mayFail(() -> deleteSegment(full), "remove the delivered segment " + full);
        }
        reopenActive();
    }

    /** {@link #openActive()}, leaving both channels closed and null if it fails. */
    private void reopenActive() throws IOException {
        try {
            openActive();
        } catch (IOException e) {
            closeChannels();
            throw e;
        }
    }

    /** Rewrites older segments without their droppable messages until {@code needed} bytes are free. */
    private void evictDroppable(long needed) throws IOException {
        long freed = 0;
        roll(); // never rewrite the file being appended to
        for (long seg : new ArrayList<>(liveBySegment.headMap(activeSegment).keySet())) {
            if (freed >= needed) {
                break;
            }
            TreeSet<Long> live = liveBySegment.get(seg);
            List<OutboxMessage> keep = new ArrayList<>();
            List<Long> drop = new ArrayList<>();
            for (long seq : live) {
                OutboxMessage m = pending.get(seq).message();
                if (m.droppable()) {
                    drop.add(seq);
                } else {
                    keep.add(m);
                }
            }
            if (drop.isEmpty() && sizeOf(keep) >= segmentSizes.get(seg)) {
                continue; // nothing to gain from rewriting this one
            }
            long oldSize = segmentSizes.get(seg);
            long newSize = rewrite(seg, keep);
            freed += oldSize - newSize;
            for (long seq : drop) {
                pending.remove(seq);
                live.remove(seq);
                countDrop(seq, seq);
            }
            if (live.isEmpty()) {
                deleteSegment(seg);
            }
        }
        if (freed > 0) {
            reserveNumbers();
            Logger.warn("Outbox {} full: evicted per-field messages to keep summaries and alerts", dir);
        }
    }

    private static long sizeOf(List<OutboxMessage> ms) {
        long n = 0;
        for (OutboxMessage m : ms) {
            n += RecordLog.HEADER + RecordLog.encode(m).length;
        }
        return n;
    }

    private long rewrite(long seg, List<OutboxMessage> keep) throws IOException {
        Path target = segmentPath(seg);
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        long size = 0;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (OutboxMessage m : keep) {
                byte[] r = RecordLog.frame(RecordLog.encode(m));
                ch.write(ByteBuffer.wrap(r));
                size += r.length;
            }
            ch.force(true);
        } catch (IOException e) {
            deletePartial(tmp, e);
            throw e;
        }
        atomicReplace(tmp, target);
        segmentSizes.put(seg, size);
        return size;
    }

    private void atomicReplace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("outbox directory " + dir + " does not support atomic rename", e);
        }
        syncDirectory();
    }

    /**
     * A dropped or evicted message is on no segment, so without a record of its number a restart before the
     * drop report would hand that number out again. Writing one per drop would grow the ack log inside a
     * full budget, so a block of {@value #SEQ_RESERVE} numbers is recorded at a time: after a power cut
     * the numbers jump to the end of the block (an unexplained gap, as for any unreported drop); a clean
     * close writes the exact number back. A failure is only logged: the storage is failing anyway, and a
     * number may then come back, never a message.
     */
    private void reserveNumbers() {
        if (lastSeq <= reservedSeq) {
            return;
        }
        long upTo = lastSeq + SEQ_RESERVE;
        try {
            acks.write(ByteBuffer.wrap(RecordLog.frame(ByteBuffer.allocate(9).put(HIGH_WATER).putLong(upTo).array())));
            acks.force(false);
            acksSize = acks.size();
            reservedSeq = upTo;
        } catch (IOException e) {
            Logger.debug("Outbox {}: cannot record sequence numbers up to {} now: {}", dir, upTo, e.getMessage());
        }
    }

    private void deleteSegment(long seg) throws IOException {
        // the file first: a segment that could not be deleted stays known (its acks are kept by compaction)
        Files.deleteIfExists(segmentPath(seg));
        liveBySegment.remove(seg);
        segmentSizes.remove(seg);
    }

    private void countDrop(long first, long last) {
        if (dropped == 0) {
            droppedFirst = first;
        }
        dropped++;
        droppedFirst = Math.min(droppedFirst, first);
        droppedLast = Math.max(droppedLast, last);
    }

    @Override
    public synchronized List<OutboxMessage> pending(long afterSeq, int max) {
        List<OutboxMessage> out = new ArrayList<>(Math.min(max, pending.size()));
        for (Entry e : pending.tailMap(afterSeq, false).values()) {
            if (out.size() >= max) {
                break;
            }
            out.add(e.message());
        }
        return out;
    }

    @Override
    public synchronized void acknowledge(Collection<Long> seqs) throws IOException {
        ensureOpen();
        ensureWritable();
        List<Long> known = new ArrayList<>();
        for (long s : seqs) {
            if (pending.containsKey(s)) {
                known.add(s);
            }
        }
        if (known.isEmpty()) {
            return;
        }
        ByteBuffer b = ByteBuffer.allocate(known.size() * (RecordLog.HEADER + 9));
        for (long s : known) {
            b.put(RecordLog.frame(ByteBuffer.allocate(9).put(ACK).putLong(s).array()));
        }
        b.flip();
        acks.write(b);
        acks.force(false);
        acksSize = acks.size();
        // The acks are durable from here: tidying that fails is retried later and must not make the caller
        // believe they were not recorded.
        for (long s : known) {
            Entry e = pending.remove(s);
            TreeSet<Long> live = liveBySegment.get(e.segment());
            live.remove(s);
            if (live.isEmpty() && e.segment() != activeSegment) {
                mayFail(() -> deleteSegment(e.segment()), "remove the delivered segment " + e.segment());
            }
        }
        mayFail(() -> compactAcksIfLarge(false), "compact " + ACKS);
    }

    /** Keeps the ack log small: only acks of messages still on disk matter, plus the high-water mark. */
    private void compactAcksIfLarge(boolean force) throws IOException {
        if (!force && acksSize < Math.max(4096, segmentBytes / 2)) {
            return;
        }
        if (pending.isEmpty() && liveBySegment.keySet().stream().allMatch(s -> s == activeSegment)) {
            // nothing pending: the active segment's acked records can go as well
            roll();
        }
        // acks needed: those of records still inside live segment files
        List<Long> needed = new ArrayList<>();
        for (long seg : liveBySegment.keySet()) {
            Path p = segmentPath(seg);
            if (!Files.exists(p) || segmentSizes.getOrDefault(seg, 0L) == 0) {
                continue;
            }
            for (byte[] body : RecordLog.scan(Files.readAllBytes(p)).bodies()) {
                long seq = ByteBuffer.wrap(body, 1, 8).getLong();
                if (!pending.containsKey(seq)) {
                    needed.add(seq);
                }
            }
        }
        Path target = dir.resolve(ACKS);
        Path tmp = dir.resolve(ACKS + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(RecordLog.frame(ByteBuffer.allocate(9).put(HIGH_WATER).putLong(lastSeq).array())));
            for (long s : needed) {
                ch.write(ByteBuffer.wrap(RecordLog.frame(ByteBuffer.allocate(9).put(ACK).putLong(s).array())));
            }
            ch.force(true);
        } catch (IOException e) {
            deletePartial(tmp, e);
            throw e;
        }
        closeChannels();
        try {
            atomicReplace(tmp, target);
        } catch (IOException e) {
            deletePartial(tmp, e); // the old ack log, still in place, holds every ack written
            throw e;
        }
        reopenActive();
    }

    @Override
    public synchronized int pendingCount() {
        return pending.size();
    }

    @Override
    public synchronized long diskBytes() {
        long n = acksSize;
        for (long s : segmentSizes.values()) {
            n += s;
        }
        return n;
    }

    @Override
    public synchronized long lastSequence() {
        return lastSeq;
    }

    @Override
    public synchronized DropCount takeDropped() {
        if (dropped == 0) {
            return DropCount.NONE;
        }
        DropCount d = new DropCount(dropped, droppedFirst, droppedLast);
        dropped = 0;
        droppedFirst = 0;
        droppedLast = 0;
        return d;
    }

    @Override
    public int corruptRecordsSkipped() {
        return corruptSkipped;
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        if (reservedSeq > lastSeq && active != null) {
            // numbers reserved for drops but not used: write the exact last number back
            mayFail(() -> compactAcksIfLarge(true), "compact " + ACKS);
        }
        closed = true;
        closeChannels();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("outbox " + dir + " is closed");
        }
    }

    private void syncDirectory() throws IOException {
        // a rename or a new file is durable only once the directory entry is synced
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            Logger.debug("directory fsync not supported on {}: {}", dir, e.getMessage());
        }
    }

    private Path segmentPath(long n) {
        return dir.resolve(String.format("%s%012d%s", SEGMENT_PREFIX, n, SEGMENT_SUFFIX));
    }

    private static boolean isSegment(Path p) {
        String n = p.getFileName().toString();
        return n.startsWith(SEGMENT_PREFIX) && n.endsWith(SEGMENT_SUFFIX);
    }

    private static long segmentNumber(Path p) {
        String n = p.getFileName().toString();
        return Long.parseLong(n.substring(SEGMENT_PREFIX.length(), n.length() - SEGMENT_SUFFIX.length()));
    }

    @Override
    public String toString() {
        return "FileOutbox[" + dir + ", pending=" + pendingCount() + ", " + diskBytes() + "/" + maxBytes + " B]";
    }
}
