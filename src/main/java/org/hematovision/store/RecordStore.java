package org.hematovision.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.tinylog.Logger;

/**
 * Finished samples on local storage, one directory per record:
 * {@code records/YYYY-MM-DD/SAMPLE_ID/} with the report files, the gallery and a {@code manifest.json}
 * holding the SHA-256 and size of every file. A record is assembled in a hidden sibling directory and
 * renamed into place only when every file and the manifest are on disk, so a record directory without a
 * manifest, or one whose checksums disagree, is damage, reported by {@link #verify()} and never deleted
 * by it.
 */
public final class RecordStore {

    static final String MANIFEST = "manifest.json";
    static final String TMP_PREFIX = ".tmp-";
    private static final String OLD_PREFIX = ".old-";

    private final StoreConfig config;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public RecordStore(StoreConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public StoreConfig config() {
        return config;
    }

    /** A stored record. */
    public record StoredRecord(String sampleId, LocalDate date, Path dir) {
    }

    /** Something wrong with a record or a leftover of an interrupted write. */
    public record Damage(Path path, String problem) {
        @Override
        public String toString() {
            return path + ": " + problem;
        }
    }

    /**
     * Stores a record atomically, replacing an earlier record of the same sample (a sample finished
     * again after a crash carries at least the same cells).
     *
     * @param files   file name (relative, may contain {@code /}) to contents
     * @param copyIn  directory whose files are copied in under the same relative names (the gallery), or null
     */
    public StoredRecord commit(String sampleId, LocalDate date, Map<String, byte[]> files, Path copyIn) {
        Path dayDir = config.recordsDir().resolve(date.toString());
        Path finalDir = dayDir.resolve(sampleId);
        Path tmp = dayDir.resolve(TMP_PREFIX + sampleId);
        if (Files.isDirectory(finalDir) && verify(finalDir).isEmpty()) {
            // A sample is finished once, so a whole record of it is final. A restart between storing it and
            // removing its journal finishes the sample again, possibly after its gallery was deleted: a
            // new record would be poorer than the one kept here.
            Logger.info("record store: sample {} is already stored whole at {}; kept", sampleId, finalDir);
            return new StoredRecord(sampleId, date, finalDir);
        }
        try {
            Files.createDirectories(dayDir);
            deleteTree(tmp); // left by a crash during an earlier attempt; everything in it is rebuilt below
            ObjectNode manifest = json.createObjectNode().put("sampleId", sampleId).put("date", date.toString())
                    .put("written", clock.instant().toString());
            ObjectNode list = manifest.putObject("files");
            for (var e : new TreeMap<>(files).entrySet()) {
                AtomicFiles.writeNew(tmp.resolve(e.getKey()), e.getValue());
                list.putObject(e.getKey()).put("sha256", AtomicFiles.sha256(e.getValue())).put("bytes", e.getValue().length);
            }
            if (copyIn != null && Files.isDirectory(copyIn)) {
                // One file in memory at a time: a gallery with hundreds of field images must not fill the heap.
                try (Stream<Path> s = Files.walk(copyIn)) {
                    for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                        String rel = copyIn.relativize(p).toString().replace('\\', '/');
                        if (rel.startsWith(".") || rel.contains("/.") || files.containsKey(rel)) {
                            continue;
                        }
                        byte[] bytes = Files.readAllBytes(p);
                        AtomicFiles.writeNew(tmp.resolve(rel), bytes);
                        list.putObject(rel).put("sha256", AtomicFiles.sha256(bytes)).put("bytes", bytes.length);
                    }
                }
            }
            AtomicFiles.writeNew(tmp.resolve(MANIFEST), json.writeValueAsBytes(manifest));
            try (Stream<Path> dirs = Files.walk(tmp)) {
                dirs.filter(Files::isDirectory).forEach(AtomicFiles::fsyncDirectory);
            }
            Path old = dayDir.resolve(OLD_PREFIX + sampleId);
            if (Files.exists(finalDir)) {
                deleteTree(old);
                AtomicFiles.move(finalDir, old);
            }
            AtomicFiles.move(tmp, finalDir);
            AtomicFiles.fsyncDirectory(dayDir);
            deleteTree(old);
            return new StoredRecord(sampleId, date, finalDir);
        } catch (IOException e) {
            try {
                deleteTree(tmp); // half a record would take the space the next attempt (or the next journal) needs
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new StoreException("cannot store the record of sample " + sampleId + " under " + dayDir + ": "
                    + describe(e) + " (disk full or read-only? the sample's journal is kept and the record is "
                    + "written again at the next start)", e);
        }
    }

    /** Every stored record, oldest day first. */
    public List<StoredRecord> list() {
        List<StoredRecord> out = new ArrayList<>();
        for (Path day : children(config.recordsDir())) {
            LocalDate date = parseDate(day);
            if (date == null) {
                continue;
            }
            for (Path rec : children(day)) {
                String name = rec.getFileName().toString();
                if (!name.startsWith(".") && Files.isDirectory(rec)) {
                    out.add(new StoredRecord(name, date, rec));
                }
            }
        }
        return out;
    }

    /**
     * Integrity check (run at start-up): every record must have a manifest whose checksums match its
     * files; leftovers of interrupted writes and unexpected entries are reported too. Logs each
     * problem and returns them; deletes nothing.
     */
    public List<Damage> verify() {
        List<Damage> damage = new ArrayList<>();
        for (Path day : children(config.recordsDir())) {
            if (parseDate(day) == null) {
                damage.add(new Damage(day, "not a YYYY-MM-DD day directory"));
                continue;
            }
            for (Path rec : children(day)) {
                String name = rec.getFileName().toString();
                if (name.startsWith(TMP_PREFIX) || name.startsWith(OLD_PREFIX)) {
                    damage.add(new Damage(rec, "left by an interrupted write (the complete record, if any, is beside it)"));
                } else {
                    verify(rec).forEach(damage::add);
                }
            }
        }
        damage.forEach(d -> Logger.error("record store: {}", d));
        return damage;
    }

    /** Checks one record directory against its manifest. */
    public List<Damage> verify(Path rec) {
        List<Damage> damage = new ArrayList<>();
        Path mf = rec.resolve(MANIFEST);
        JsonNode manifest;
        try {
            manifest = json.readTree(Files.readAllBytes(mf));
        } catch (IOException e) {
            damage.add(new Damage(rec, Files.exists(mf) ? "manifest unreadable: " + describe(e) : "no manifest.json"));
            return damage;
        }
        JsonNode files = manifest.path("files");
        var names = files.fieldNames();
        java.util.Set<String> listed = new java.util.HashSet<>();
        while (names.hasNext()) {
            String rel = names.next();
            listed.add(rel);
            Path f = rec.resolve(rel);
            try {
                byte[] bytes = Files.readAllBytes(f);
                String want = files.path(rel).path("sha256").asText();
                if (!AtomicFiles.sha256(bytes).equals(want)) {
                    damage.add(new Damage(f, "checksum mismatch (content changed or corrupted)"));
                }
            } catch (IOException e) {
                damage.add(new Damage(f, Files.exists(f) ? "unreadable: " + describe(e) : "missing (listed in the manifest)"));
            }
        }
        try (Stream<Path> s = Files.walk(rec)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = rec.relativize(p).toString().replace('\\', '/');
                if (!rel.equals(MANIFEST) && !listed.contains(rel)) {
                    damage.add(new Damage(p, "not in the manifest"));
                }
            }
        } catch (IOException e) {
            damage.add(new Damage(rec, "cannot list: " + describe(e)));
        }
        return damage;
    }

    /**
     * Removes records past {@code store.retentionDays}, then the oldest while the records exceed
     * {@code store.maxBytes}. Each removal is logged; returns what was removed.
     */
    public List<StoredRecord> applyRetention() {
        List<StoredRecord> removed = new ArrayList<>();
        List<StoredRecord> records = new ArrayList<>(list());
        records.sort(Comparator.comparing(StoredRecord::date).thenComparing(StoredRecord::sampleId));
        LocalDate today = LocalDate.now(clock);
        if (config.retentionDays() > 0) {
            LocalDate oldest = today.minusDays(config.retentionDays());
            for (StoredRecord r : List.copyOf(records)) {
                if (r.date().isBefore(oldest)) {
                    remove(r, "older than store.retentionDays=" + config.retentionDays());
                    records.remove(r);
                    removed.add(r);
                }
            }
        }
        if (config.maxBytes() > 0) {
            Map<StoredRecord, Long> sizes = new LinkedHashMap<>();
            long total = 0;
            for (StoredRecord r : records) {
                long size = size(r.dir());
                sizes.put(r, size);
                total += size;
            }
            // Always keep the newest record, even when it alone exceeds the limit.
            LocalDate keptUntil = config.retentionDays() > 0 ? today.minusDays(config.retentionDays()) : LocalDate.MAX;
            for (int i = 0; i < records.size() - 1 && total > config.maxBytes(); i++) {
                StoredRecord r = records.get(i);
                if (!r.date().isBefore(keptUntil)) {
                    // a full disk would stop the journal, so the cap wins; but this is a record the
                    // retention period says to keep: say so loudly
                    Logger.warn("record store: removing record {} of {}, inside store.retentionDays={}, because the "
                            + "records exceed store.maxBytes={}: export records or raise store.maxBytes", r.sampleId(),
                            r.date(), config.retentionDays(), config.maxBytes());
                }
                remove(r, "records exceed store.maxBytes=" + config.maxBytes());
                total -= sizes.get(r);
                removed.add(r);
            }
        }
        return removed;
    }

    private void remove(StoredRecord r, String why) {
        try {
            deleteTree(r.dir());
            Logger.info("record store: removed record {} of {} ({})", r.sampleId(), r.date(), why);
        } catch (IOException e) {
            Logger.error("record store: could not remove record {}: {}", r.dir(), describe(e));
        }
    }

    static long size(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new StoreException("cannot list " + dir + ": " + describe(e), e);
        }
    }

    static LocalDate parseDate(Path day) {
        try {
            return LocalDate.parse(day.getFileName().toString());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static String describe(IOException e) {
        String what = e.getClass().getSimpleName().replace("Exception", "");
        return e.getMessage() == null ? what : what + " " + e.getMessage();
    }
}
