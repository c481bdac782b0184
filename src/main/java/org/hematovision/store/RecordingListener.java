package org.hematovision.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.hematovision.image.BgrImage;
import org.hematovision.image.Box;
import org.hematovision.report.DeviceInfo;
import org.hematovision.report.FhirReport;
import org.hematovision.report.GalleryItem;
import org.hematovision.report.ReportJson;
import org.hematovision.report.ReportRenderer;
import org.hematovision.sample.Alert;
import org.hematovision.sample.CellCall;
import org.hematovision.sample.DifferentialReport;
import org.hematovision.sample.DifferentialSnapshot;
import org.hematovision.sample.FieldReport;
import org.hematovision.sample.ReportBuilder;
import org.hematovision.sample.SampleJournal;
import org.hematovision.sample.SampleListener;
import org.hematovision.logging.RateLimitedLog;
import org.tinylog.Logger;

/**
 * The record-store sink. While a sample is open it keeps the gallery on disk as it grows (each alert
 * cell's crop, and each field that had one) under {@code STORE/open/SAMPLE_ID/}, so a crash loses no
 * picture; when the sample finishes it writes the record ({@code report.json}, {@code report.png},
 * {@code fhir.json}, the journal, the gallery) atomically, then removes the staging folder and the
 * journal, then applies retention. A sample with no analysed field is not a result: it gets no record.
 *
 * <p>Never throws (listener contract): a failure is logged with what to do, and what is on disk stays
 * (journal and staging), so the next start stores the record again.
 */
public final class RecordingListener implements SampleListener, AutoCloseable {

    /**
     * Field images of the gallery are encoded and written here, off the pipeline thread: PNG encoding
     * and fsync of a whole field cost tens of milliseconds on a Pi. One thread keeps the writes in order; the
     * record of a closing sample waits for them ({@link #flushImages()}).
     */
    private final java.util.concurrent.ExecutorService imageWriter =
            java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "gallery-writer");
                t.setDaemon(true);
                return t;
            });

    private static final String FILES = "files";
    private static final String META = "meta";

    private final RecordStore store;
    private final SampleJournal journal;
    private final ReportBuilder builder;
    private final DeviceInfo device;
    private final Clock clock;
    private final Consumer<Stored> onStored;
    private final ObjectMapper json = new ObjectMapper();
    private final ReportJson reportJson = new ReportJson();
    private final FhirReport fhir = new FhirReport();
    private final ReportRenderer renderer = new ReportRenderer();
    /** Start times that could not be written (storage full at the start): the record still gets them. */
    private final Map<String, Instant> startedNotSaved = new java.util.concurrent.ConcurrentHashMap<>();
    /** Gallery writes fail on every alert while the storage is full: one line a minute is enough. */
    private final RateLimitedLog galleryLog = new RateLimitedLog();

    /** A record just stored, for sinks that publish the summary (e.g. MQTT). */
    public record Stored(DifferentialReport report, RecordStore.StoredRecord record) {
    }

    /**
     * @param onStored called on the pipeline thread after each record is stored (may be a no-op)
     */
    public RecordingListener(RecordStore store, SampleJournal journal, ReportBuilder builder, DeviceInfo device,
                             Clock clock, Consumer<Stored> onStored) {
        this.store = Objects.requireNonNull(store, "store");
        this.journal = Objects.requireNonNull(journal, "journal");
        this.builder = Objects.requireNonNull(builder, "builder");
        this.device = Objects.requireNonNull(device, "device");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.onStored = Objects.requireNonNull(onStored, "onStored");
    }

    @Override
    public void sampleStarted(String sampleId, int targetCells) {
        sampleStarted(sampleId, targetCells, clock.instant());
    }

    /**
     * {@code time} is when counting began, which for a sample resumed after a restart comes from its journal:
     * a staging folder that could not be written at the first start (disk full) then still gets the real start.
     */
    @Override
    public void sampleStarted(String sampleId, int targetCells, Instant time) {
        Path started = staging(sampleId).resolve(META).resolve("started");
        try {
            if (!Files.exists(started)) { // kept across a restart: the first start is the real one
                AtomicFiles.write(started, time.toString().getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            startedNotSaved.putIfAbsent(sampleId, time);
            Logger.error("record store: cannot prepare {} for sample {}: {}", started.getParent(), sampleId, e.getMessage());
        }
    }

    @Override
    public void fieldAnalysed(FieldReport report, DifferentialSnapshot differential) {
        boolean hasAlert = report.calls().stream().anyMatch(c -> c.abnormal() || c.review());
        if (!hasAlert) {
            return;
        }
        Path file = staging(report.sampleId()).resolve(FILES).resolve(fieldFile(report.field().index()));
        BgrImage image = report.field().frame().image();
        imageWriter.execute(() -> writePng(file, image, report.sampleId()));
    }

    @Override
    public void alert(Alert alert) {
        String name = String.format(Locale.ROOT, "f%06d-x%d-y%d", alert.fieldIndex(), alert.box().x(), alert.box().y());
        Path dir = staging(alert.sampleId());
        // The cell's own picture is written before the call returns (small and fast): a power cut
        // must not lose the evidence for a flag. Only the whole-field context image goes async.
        writePng(dir.resolve(FILES).resolve("gallery").resolve(name + ".png"), alert.crop(), alert.sampleId());
        GalleryItem item = new GalleryItem("gallery/" + name + ".png", fieldFile(alert.fieldIndex()), alert.fieldIndex(),
                alert.kind().name().toLowerCase(Locale.ROOT), alert.label(), alert.probability(), alert.box());
        try {
            AtomicFiles.write(dir.resolve(META).resolve("items").resolve(name + ".json"), json.writeValueAsBytes(item));
        } catch (IOException e) {
            galleryLog.error("gallery", "record store: cannot note gallery cell " + name + " of sample "
                    + alert.sampleId() + ": " + e.getMessage());
        }
    }

    @Override
    public void sampleFinished(DifferentialSnapshot snapshot, String reason) {
        sampleFinished(snapshot, reason, clock.instant());
    }

    @Override
    public void sampleFinished(DifferentialSnapshot snapshot, String reason, Instant finished) {
        String id = snapshot.sampleId();
        flushImages();
        if (snapshot.fields() == 0) {
            discardEmpty(id, reason);
            return;
        }
        RecordStore.StoredRecord rec;
        Stored stored;
        try {
            Path dir = staging(id);
            Instant started = readStarted(dir).or(() -> Optional.ofNullable(startedNotSaved.get(id))).orElse(finished);
            DifferentialReport report = builder.build(snapshot, started, finished, reason);
            List<ReportRenderer.Thumbnail> gallery = gallery(dir);
            List<GalleryItem> items = gallery.stream().map(ReportRenderer.Thumbnail::item).toList();
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put("report.json", reportJson.bytes(report, device, items));
            files.put("fhir.json", fhir.bytes(report, device));
            files.put("report.png", renderer.png(report, device, gallery));
            Path journalFile = journal.file(id);
            if (Files.exists(journalFile)) {
                files.put("journal.ndjson", Files.readAllBytes(journalFile));
            }
            rec = store.commit(id, LocalDate.ofInstant(started, ZoneOffset.UTC), files, dir.resolve(FILES));
            stored = new Stored(report, rec);
        } catch (RuntimeException | IOException e) {
            Logger.error(e, "record store: the record of sample {} could not be stored: {}. Its journal ({}) and "
                    + "gallery ({}) are kept; it is stored again at the next start.", id, e.getMessage(),
                    journal.file(id), staging(id));
            return;
        }
        Logger.info("record store: sample {} stored at {}", id, rec.dir());
        // The journal goes first: a journal left without its staging folder (power cut between the two) would
        // make the next start finish the sample again from a gallery that is gone. A staging folder left
        // without its journal is removed at the next start (removeLeftoverStaging).
        journal.archived(id);
        try {
            RecordStore.deleteTree(staging(id));
        } catch (IOException e) {
            Logger.warn("record store: sample {} is stored; its staging folder {} could not be removed ({}); the next "
                    + "start removes it", id, staging(id), e.getMessage());
        }
        startedNotSaved.remove(id);
        onStored.accept(stored);
        try {
            store.applyRetention();
        } catch (RuntimeException e) {
            Logger.error(e, "record store: retention after storing sample {} failed: {}", id, e.getMessage());
        }
    }

    /**
     * Start-up: removes staging folders whose sample has no journal. Either the record was stored and the
     * power failed before its staging folder was removed, or the sample's journal could never be written
     * (its fields were held in memory and did not survive the restart). Call before samples are recovered.
     *
     * @return the folders removed
     */
    public List<Path> removeLeftoverStaging() {
        List<Path> removed = new ArrayList<>();
        Path open = store.config().openDir();
        if (!Files.isDirectory(open)) {
            return removed;
        }
        try (var dirs = Files.list(open)) {
            for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
                String id = d.getFileName().toString();
                if (!Files.exists(journal.file(id))) {
                    RecordStore.deleteTree(d);
                    removed.add(d);
                    Logger.info("record store: removed the staging folder {} left without a journal", d);
                }
            }
        } catch (IOException e) {
            Logger.warn("record store: cannot tidy the staging folders in {}: {}", open, e.getMessage());
        }
        return removed;
    }

    /**
     * A sample closed before any field was analysed (service stopped while idle, NEW SAMPLE pressed twice)
     * holds no result: a record of it would be a report of 0 % everywhere. Its staging folder and journal
     * go as for a stored one, so the next start neither resumes nor stores it.
     */
    private void discardEmpty(String id, String reason) {
        try {
            RecordStore.deleteTree(staging(id));
        } catch (IOException | RuntimeException e) {
            Logger.warn("record store: cannot remove the staging folder {} of empty sample {}: {}", staging(id), id,
                    e.getMessage());
        }
        journal.archived(id);
        startedNotSaved.remove(id);
        Logger.info("record store: sample {} finished ({}) with no analysed field: discarded, no record stored", id,
                reason);
    }

    private Path staging(String sampleId) {
        return store.config().openDir().resolve(sampleId);
    }

    private static String fieldFile(long index) {
        return String.format(Locale.ROOT, "fields/field-%06d.png", index);
    }

    private static Optional<Instant> readStarted(Path dir) {
        try {
            return Optional.of(Instant.parse(Files.readString(dir.resolve(META).resolve("started")).trim()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private List<ReportRenderer.Thumbnail> gallery(Path dir) throws IOException {
        Path items = dir.resolve(META).resolve("items");
        List<ReportRenderer.Thumbnail> out = new ArrayList<>();
        if (!Files.isDirectory(items)) {
            return out;
        }
        try (Stream<Path> s = Files.list(items)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                try {
                    JsonNode n = json.readTree(p.toFile());
                    JsonNode b = n.path("box");
                    GalleryItem item = new GalleryItem(n.path("file").asText(), n.path("fieldFile").asText(),
                            n.path("fieldIndex").asLong(), n.path("kind").asText(), n.path("label").asText(),
                            (float) n.path("probability").asDouble(), new Box(b.path("x").asInt(), b.path("y").asInt(),
                            b.path("width").asInt(), b.path("height").asInt()));
                    var img = ImageIO.read(dir.resolve(FILES).resolve(item.file()).toFile());
                    if (img == null) {
                        throw new IOException("not a PNG");
                    }
                    out.add(new ReportRenderer.Thumbnail(item, BgrImage.fromBufferedImage(img)));
                } catch (IOException | RuntimeException e) {
                    // The crop is still copied into the record; only its thumbnail is missing from the page.
                    Logger.warn("record store: gallery entry {} unreadable ({}); left out of the report page", p,
                            e.getMessage());
                }
            }
        }
        return out;
    }

    /** Waits until every gallery image handed over so far is on disk (or has failed and been logged). */
    void flushImages() {
        try {
            imageWriter.submit(() -> { }).get();
        } catch (java.util.concurrent.ExecutionException e) {
            Logger.error(e, "record store: gallery writer failed: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: nothing is pending
        }
    }

    /** Writes what is pending, then stops the writer thread. */
    @Override
    public void close() {
        flushImages();
        imageWriter.shutdown();
    }

    private void writePng(Path file, BgrImage image, String sampleId) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image.toBufferedImage(), "png", out);
            AtomicFiles.write(file, out.toByteArray());
            galleryLog.recovered("gallery", "record store: gallery pictures are saved again");
        } catch (IOException e) {
            galleryLog.error("gallery", "record store: cannot save " + file + " of sample " + sampleId + ": "
                    + e.getMessage() + " (disk full or read-only?)");
        }
    }
}
