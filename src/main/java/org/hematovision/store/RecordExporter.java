package org.hematovision.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Copies the records of a date range to a folder (a USB stick): {@code OUT/YYYY-MM-DD/SAMPLE_ID/}, the
 * same layout as the store, so the copy can be verified with the same manifest. Damaged records are
 * not copied and are listed; the store is never changed.
 */
public final class RecordExporter {

    private final RecordStore store;

    public RecordExporter(RecordStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * @param exported records copied and verified at the destination
     * @param present  records already at the destination, identical
     * @param damaged  records not copied because they failed their integrity check
     */
    public record Result(List<RecordStore.StoredRecord> exported, List<RecordStore.StoredRecord> present,
                         List<RecordStore.Damage> damaged) {
    }

    public Result export(LocalDate from, LocalDate to, Path out) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("--to " + to + " is before --from " + from);
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new StoreException("cannot create the export folder " + out + ": " + RecordStore.describe(e)
                    + " (is the stick mounted and writable?)", e);
        }
        List<RecordStore.StoredRecord> exported = new ArrayList<>();
        List<RecordStore.StoredRecord> present = new ArrayList<>();
        List<RecordStore.Damage> damaged = new ArrayList<>();
        for (RecordStore.StoredRecord r : store.list()) {
            if (r.date().isBefore(from) || r.date().isAfter(to)) {
                continue;
            }
            List<RecordStore.Damage> problems = store.verify(r.dir());
            if (!problems.isEmpty()) {
                damaged.addAll(problems);
                continue;
            }
            Path dest = out.resolve(r.date().toString()).resolve(r.sampleId());
            if (Files.isDirectory(dest) && store.verify(dest).isEmpty() && sameManifest(r.dir(), dest)) {
                present.add(r);
                continue;
            }
            copy(r, dest);
            List<RecordStore.Damage> copyProblems = store.verify(dest);
            if (!copyProblems.isEmpty()) {
                throw new StoreException("the copy of " + r.sampleId() + " at " + dest + " does not match its manifest: "
                        + copyProblems.get(0).problem() + " (faulty stick?)", null);
            }
            exported.add(r);
        }
        return new Result(exported, present, damaged);
    }

    private static boolean sameManifest(Path a, Path b) {
        try {
            return java.util.Arrays.equals(Files.readAllBytes(a.resolve(RecordStore.MANIFEST)),
                    Files.readAllBytes(b.resolve(RecordStore.MANIFEST)));
        } catch (IOException e) {
            return false;
        }
    }

    private static void copy(RecordStore.StoredRecord r, Path dest) {
        Path tmp = dest.resolveSibling(".tmp-" + r.sampleId());
        try {
            RecordStore.deleteTree(tmp);
            try (Stream<Path> s = Files.walk(r.dir())) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    AtomicFiles.writeNew(tmp.resolve(r.dir().relativize(p).toString()), Files.readAllBytes(p));
                }
            }
            try (Stream<Path> dirs = Files.walk(tmp)) {
                dirs.filter(Files::isDirectory).forEach(AtomicFiles::fsyncDirectory);
            }
            RecordStore.deleteTree(dest);
            AtomicFiles.move(tmp, dest);
            AtomicFiles.fsyncDirectory(dest.getParent());
        } catch (IOException e) {
            throw new StoreException("cannot copy record " + r.sampleId() + " to " + dest + ": " + RecordStore.describe(e)
                    + " (stick full or removed?)", e);
        }
    }
}
