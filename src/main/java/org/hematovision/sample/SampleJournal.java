package org.hematovision.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.tinylog.Logger;

/**
 * Append-only, fsynced journal of the open sample: one file {@code DIR/SAMPLE_ID.ndjson} per sample,
 * one JSON line per event ({@code start}, one {@code field} per analysed field with its counted cells,
 * {@code finish}). A line is on disk (fsync) before {@link Appender#field} returns, so a power cut or
 * {@code kill -9} loses at most the field being written, never a field that was counted.
 *
 * <p>Recovery cuts off a line torn by a crash (never acknowledged); a line damaged in the middle of
 * the file (storage fault) is skipped with an error and a {@code .damaged} copy of the file is kept.
 *
 * <p>The file stays until the sample's record is safely in the store ({@link #archived}); a journal
 * with a {@code finish} line but no record means the record must be written again.
 */
public final class SampleJournal {

    private static final String SUFFIX = ".ndjson";
    /** Length of {@code HV-yyyyMMdd-HHmmss}. */
    static final int ID_BASE_LENGTH = 18;
    /** The id of the last sample started, kept so ids never repeat even after the journals are archived. */
    private static final String LAST_ID = "last-id";

    private final Path dir;
    private final ObjectMapper json = new ObjectMapper();
    /** Samples whose record was stored and journal removed in this process (the record store's thread may call). */
    private final Set<String> archivedIds = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public SampleJournal(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** Whether {@link #archived} was called for this sample since this journal was made (this process). */
    public boolean archivedSinceStart(String sampleId) {
        return archivedIds.contains(sampleId);
    }

    public Path file(String sampleId) {
        return dir.resolve(sampleId + SUFFIX);
    }

    /** Starts the journal of a new sample. */
    public Appender start(String sampleId, Instant started, int targetCells, List<String> labels, Set<String> excluded) {
        Path file = file(sampleId);
        try {
            Files.createDirectories(dir);
            if (Files.exists(file)) {
                throw new JournalException("journal " + file + " already exists: sample id " + sampleId + " is in use", null);
            }
            Appender a = new Appender(sampleId, FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND));
            try {
                ObjectNode line = json.createObjectNode().put("type", "start").put("sampleId", sampleId)
                        .put("started", started.toString()).put("targetCells", targetCells);
                labels.forEach(line.putArray("labels")::add);
                excluded.stream().sorted().forEach(line.putArray("excluded")::add);
                a.write(line);
                writeLastId(sampleId);
                fsyncDir();
            } catch (IOException | RuntimeException e) {
                // Disk full or read-only: leave no half-started journal (and no open file) behind, so
                // starting it again later can succeed.
                a.close();
                try {
                    Files.deleteIfExists(file);
                } catch (IOException d) {
                    e.addSuppressed(d); // read-only: the empty file is cut off by recover() at the next start
                }
                throw e;
            }
            return a;
        } catch (IOException e) {
            throw new JournalException("cannot start the journal " + file + ": " + e.getMessage()
                    + " (check that the store directory is writable and has space)", e);
        }
    }

    /** The id of the last sample started here, or "" when none was. */
    public String lastId() {
        try {
            Path f = dir.resolve(LAST_ID);
            return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8).trim() : "";
        } catch (IOException e) {
            throw new JournalException("cannot read " + dir.resolve(LAST_ID) + ": " + e.getMessage(), e);
        }
    }

    private void writeLastId(String sampleId) throws IOException {
        Path tmp = dir.resolve("." + LAST_ID + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(sampleId.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, dir.resolve(LAST_ID), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Continues the journal of a recovered sample. A torn tail is cut off first: {@link #recover} may
     * not have been able to (storage read-only at start-up), and a line appended to it would be damaged.
     */
    public Appender reopen(String sampleId) {
        Path file = file(sampleId);
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                long end = completeLinesEnd(ch);
                if (end < ch.size()) {
                    ch.truncate(end);
                    ch.force(true);
                }
                ch.position(end);
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            return new Appender(sampleId, ch);
        } catch (IOException e) {
            throw new JournalException("cannot reopen the journal " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads every journal left in the directory, oldest sample first. A line torn by a crash at the end
     * of a file is cut off (it was never acknowledged, so no counted field is lost); a damaged line in
     * the middle is skipped and reported; a file without a readable start line is renamed
     * {@code .damaged} and reported. Nothing is deleted.
     */
    public List<Recovered> recover() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        } catch (IOException e) {
            throw new JournalException("cannot list the journal directory " + dir + ": " + e.getMessage(), e);
        }
        List<Recovered> out = new ArrayList<>();
        for (Path f : files) {
            read(f).ifPresent(out::add);
        }
        // Ids increase strictly (SampleManager), even when the clock went back: order by id, not by time.
        out.sort(java.util.Comparator.comparing(Recovered::sampleId, ID_ORDER));
        return out;
    }

    /** Length of the file up to and including its last newline (0 when it has none). */
    private static long completeLinesEnd(FileChannel ch) throws IOException {
        long size = ch.size();
        ByteBuffer one = ByteBuffer.allocate(1);
        for (long pos = size - 1; pos >= 0; pos--) {
            one.clear();
            ch.read(one, pos);
            if (one.get(0) == '\n') {
                return pos + 1;
            }
        }
        return 0;
    }

    /** The sample's record is safely stored, or it had nothing to store: its journal is no longer needed. */
    public void archived(String sampleId) {
        archivedIds.add(sampleId);
        try {
            Files.deleteIfExists(file(sampleId));
            fsyncDir();
        } catch (IOException e) {
            // Harmless: the next start will find a finished journal and rewrite the same record.
            Logger.warn("could not remove the journal of {} after storing it: {}", sampleId, e.getMessage());
        }
    }

    private Optional<Recovered> read(Path f) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f);
        } catch (IOException e) {
            throw new JournalException("cannot read the journal " + f + ": " + e.getMessage(), e);
        }
        List<JsonNode> lines = new ArrayList<>();
        int good = 0; // end of the last line that parsed
        int lineStart = 0;
        int badLines = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            try {
                lines.add(json.readTree(new String(bytes, lineStart, i - lineStart, StandardCharsets.UTF_8)));
                good = i + 1;
            } catch (IOException e) {
                if (i + 1 < bytes.length) {
                    badLines++; // damaged in the middle (not a torn tail): skip it, keep every other field
                }
            }
            lineStart = i + 1;
        }
        if (lines.isEmpty() || !"start".equals(lines.get(0).path("type").asText())) {
            if (lines.isEmpty() && badLines == 0) {
                // Crash while the first line was written: nothing was counted yet.
                Logger.warn("journal {} holds no complete line (crash at sample start); moved aside", f);
            } else {
                Logger.error("journal {} has no readable start line; moved aside for inspection, not used", f);
            }
            moveAside(f);
            return Optional.empty();
        }
        if (good < bytes.length) {
            Logger.warn("journal {}: cutting off {} bytes of a line torn by a crash", f, bytes.length - good);
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                ch.truncate(good);
                ch.force(true);
            } catch (IOException e) {
                // Storage read-only: the lines read are intact; reopen() cuts the tail before appending.
                Logger.warn("journal {}: cannot cut the torn line off now ({}); it is cut before the next append",
                        f, e.getMessage());
            }
        }
        JsonNode head = lines.get(0);
        List<String> labels = new ArrayList<>();
        head.path("labels").forEach(n -> labels.add(n.asText()));
        Set<String> excluded = new LinkedHashSet<>();
        head.path("excluded").forEach(n -> excluded.add(n.asText()));
        List<FieldTally> fields = new ArrayList<>();
        String reason = null;
        Instant finished = null;
        for (JsonNode line : lines.subList(1, lines.size())) {
            try {
                switch (line.path("type").asText()) {
                    case "field" -> fields.add(tally(line));
                    case "finish" -> {
                        finished = Instant.parse(line.path("time").asText());
                        reason = line.path("reason").asText();
                    }
                    default -> Logger.warn("journal {}: ignoring unknown line type {}", f, line.path("type"));
                }
            } catch (RuntimeException e) {
                // valid JSON with a value that cannot be (a flipped bit in a time or a count): damaged too
                badLines++;
                Logger.error("journal {}: skipping a line with an unreadable value ({}): {}", f, e.getMessage(), line);
            }
        }
        if (badLines > 0) {
            Logger.error("journal {}: {} damaged line(s) skipped (the fields on them are lost); a copy of the file is "
                    + "kept as {}.damaged for inspection", f, badLines, f.getFileName());
            try {
                Files.copy(f, f.resolveSibling(f.getFileName() + ".damaged"), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                Logger.error("journal {}: could not keep a copy: {}", f, e.getMessage());
            }
        }
        Instant started;
        try {
            started = Instant.parse(head.path("started").asText());
        } catch (RuntimeException e) {
            // keep the counted fields: the first field's time is the nearest known start
            started = fields.isEmpty() ? (finished != null ? finished : Instant.EPOCH) : fields.get(0).time();
            Logger.error("journal {}: unreadable start time {}; using {}", f, head.path("started"), started);
        }
        return Optional.of(new Recovered(head.path("sampleId").asText(), started,
                head.path("targetCells").asInt(), labels, excluded, fields, Optional.ofNullable(reason),
                Optional.ofNullable(finished)));
    }

    /** Issue order of sample ids: by time, then by the {@code -N} suffix as a number ("-10" after "-9"). */
    static final java.util.Comparator<String> ID_ORDER = java.util.Comparator.comparing(SampleJournal::idBase)
            .thenComparingInt(SampleJournal::idSuffix);

    /** The {@code HV-yyyyMMdd-HHmmss} part of an id (ids are made by {@link SampleManager}). */

    static String idBase(String id) {
        return id.length() > ID_BASE_LENGTH && id.charAt(ID_BASE_LENGTH) == '-' ? id.substring(0, ID_BASE_LENGTH) : id;
    }

    /** The {@code -N} suffix of an id, 1 when there is none. */
    static int idSuffix(String id) {
        String base = idBase(id);
        try {
            return base.length() == id.length() ? 1 : Integer.parseInt(id.substring(base.length() + 1));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static FieldTally tally(JsonNode n) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        n.path("counts").properties().forEach(e -> counts.put(e.getKey(), e.getValue().asInt()));
        return new FieldTally(n.path("fieldIndex").asLong(), Instant.parse(n.path("time").asText()), counts,
                n.path("review").asInt(), n.path("abnormal").asInt(), n.path("redCells").asLong(),
                n.path("platelets").asLong());
    }

    private void moveAside(Path f) {
        try {
            Files.move(f, f.resolveSibling(f.getFileName() + ".damaged"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // Storage read-only: the file is left where it is and skipped again at the next start.
            Logger.error("cannot move the damaged journal {} aside: {}", f, e.getMessage());
        }
    }

    private void fsyncDir() throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open a directory; the file's own fsync still holds its data.
            Logger.debug("directory fsync of {} not supported: {}", dir, e.getMessage());
        }
    }

    /**
     * A sample read back from its journal.
     *
     * @param finishReason present when the sample was finished but its record not yet stored
     */
    public record Recovered(String sampleId, Instant started, int targetCells, List<String> labels,
                            Set<String> excluded, List<FieldTally> fields, Optional<String> finishReason,
                            Optional<Instant> finished) {
    }

    /** Writes the lines of one open sample. Not thread-safe: the pipeline thread only. */
    public final class Appender implements AutoCloseable {

        private final String sampleId;
        private final FileChannel channel;

        private Appender(String sampleId, FileChannel channel) {
            this.sampleId = sampleId;
            this.channel = channel;
        }

        /** Records one counted field; when this returns the field is on disk. If it throws, it is not. */
        public void field(FieldTally t) {
            ObjectNode line = json.createObjectNode().put("type", "field").put("fieldIndex", t.fieldIndex())
                    .put("time", t.time().toString());
            ObjectNode counts = line.putObject("counts");
            t.counts().forEach(counts::put);
            line.put("review", t.review()).put("abnormal", t.abnormal()).put("redCells", t.redCells())
                    .put("platelets", t.platelets());
            writeOrThrow(line, "field " + t.fieldIndex());
        }

        public void finish(String reason, Instant time) {
            writeOrThrow(json.createObjectNode().put("type", "finish").put("reason", reason)
                    .put("time", time.toString()), "the end");
        }

        private void writeOrThrow(ObjectNode line, String what) {
            try {
                write(line);
            } catch (IOException e) {
                throw new JournalException("cannot record " + what + " of sample " + sampleId + " in " + file(sampleId)
                        + ": " + e.getMessage() + " (disk full or read-only?)", e);
            }
        }

        private void write(ObjectNode line) throws IOException {
            long size = channel.size();
            ByteBuffer buf = ByteBuffer.wrap((json.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
            try {
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
                channel.force(false);
            } catch (IOException e) {
                // Leave no half line behind for the next append to run into.
                try {
                    channel.truncate(size);
                } catch (IOException ignored) {
                    // recover() cuts a torn tail off anyway
                }
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                Logger.warn("closing the journal of {}: {}", sampleId, e.getMessage());
            }
        }
    }
}
