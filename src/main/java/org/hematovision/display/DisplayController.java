package org.hematovision.display;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.hematovision.board.Acknowledgeable;
import org.hematovision.image.BgrImage;
import org.hematovision.sample.Alert;
import org.hematovision.sample.CellCall;
import org.hematovision.sample.DeviceStatus;
import org.hematovision.sample.DifferentialSnapshot;
import org.hematovision.sample.FieldReport;
import org.hematovision.sample.SampleListener;
import org.hematovision.sample.StorageStatus;
import org.tinylog.Logger;

/**
 * Turns the sample's events into screens. Events only update a small state and return at once; the
 * render-and-show work runs on the given executor, newest state wins (a slow bus drops intermediate
 * screens, never events). A failing display is logged once with its reason and again when it recovers;
 * it never throws into the pipeline.
 *
 * <p>Abnormal-cell alerts are held on screen until {@link #acknowledge()} (the finish/acknowledge
 * button) or a new sample; review alerts are shown until the next field.
 */
public final class DisplayController implements SampleListener, Acknowledgeable, AutoCloseable {

    public static final String READY_HINT = "Place a slide and press NEW";
    public static final String CAMERA_HINT = "Check the camera USB cable";
    public static final String FOCUS_HINT = "Turn the fine focus until the cells are sharp";

    private final Display display;
    private final ScreenRenderer renderer;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final Consumer<String> problemLog;

    private final AtomicReference<Screen.State> pending = new AtomicReference<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();

    // the screen model, guarded by this
    private Screen screen = new Screen.Ready(READY_HINT);
    private Optional<Screen.FieldView> field = Optional.empty();
    private DifferentialSnapshot lastDifferential;
    private int targetCells;
    /** The newest unacknowledged abnormal alert (with its crop) and how many there are: nothing older is shown. */
    private Alert heldAlert;
    private int heldCount;
    private Alert review;
    private LinkStatus link = LinkStatus.ONLINE;
    private StorageStatus storage = StorageStatus.OK;
    private boolean closed;

    // touched only by the render task
    /** Written by the render task, read by {@link #link} to retry a frame that failed. */
    private volatile boolean failing;
    private final java.util.concurrent.atomic.AtomicBoolean resync = new java.util.concurrent.atomic.AtomicBoolean();
    /** The last sample's result, shown while the device is ready for the next slide (until it starts). */
    private Screen.Finished finished;

    /** A controller rendering on its own thread; {@link #close()} stops it. */
    public static DisplayController start(Display display) {
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "display");
            t.setDaemon(true);
            return t;
        });
        return new DisplayController(display, new ScreenRenderer(), ex, ex, Logger::error);
    }

    /** A controller rendering on {@code executor} (a direct executor renders on the caller's thread). */
    public DisplayController(Display display, ScreenRenderer renderer, Executor executor) {
        this(display, renderer, executor, null, Logger::error);
    }

    DisplayController(Display display, ScreenRenderer renderer, Executor executor, ExecutorService owned,
                      Consumer<String> problemLog) {
        this.display = Objects.requireNonNull(display, "display");
        this.renderer = Objects.requireNonNull(renderer, "renderer");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.ownedExecutor = owned;
        this.problemLog = problemLog;
        refresh();
    }

    @Override
    public synchronized void sampleStarted(String sampleId, int targetCells) {
        resync.set(true); // a panel that lost power while idle comes back at the next sample
        this.targetCells = targetCells;
        field = Optional.empty();
        lastDifferential = null;
        finished = null;
        heldAlert = null;
        heldCount = 0;
        review = null;
        screen = analysing();
        refresh();
    }

    @Override
    public synchronized void fieldAnalysed(FieldReport report, DifferentialSnapshot differential) {
        lastDifferential = differential;
        targetCells = differential.targetCells();
        field = Optional.of(fieldView(report));
        review = null;
        screen = analysing();
        refresh();
    }

    @Override
    public synchronized void alert(Alert alert) {
        if (alert.kind() == Alert.Kind.ABNORMAL) {
            heldAlert = alert;
            heldCount++;
        } else {
            review = alert;
        }
        refresh();
    }

    @Override
    public synchronized void sampleFinished(DifferentialSnapshot differential, String reason) {
        lastDifferential = differential;
        review = null;
        finished = new Screen.Finished(differential, reason);
        screen = finished;
        refresh();
    }

    /** A sample resumed after a restart: its counts so far, shown until its next field. */
    @Override
    public synchronized void sampleResumed(DifferentialSnapshot differential) {
        lastDifferential = differential;
        targetCells = differential.targetCells();
        screen = analysing();
        refresh();
    }

    @Override
    public synchronized void status(DeviceStatus status) {
        String detail = status.detail() == null ? "" : status.detail().strip();
        screen = switch (status.state()) {
            // the result stays up while the device waits for the next slide
            case READY -> finished != null ? finished : new Screen.Ready(hint(READY_HINT, detail));
            case ANALYSING -> analysing();
            case OUT_OF_FOCUS -> new Screen.OutOfFocus(hint(FOCUS_HINT, detail));
            case CAMERA_MISSING -> new Screen.CameraMissing(hint(CAMERA_HINT, detail));
            case STOPPED -> new Screen.Stopped();
        };
        refresh();
    }

    /** The publisher's link state for the corner indicator (broker offline / messages waiting). */
    public synchronized void link(LinkStatus link) {
        // called every few seconds: also the retry of a frame the panel failed to take (an idle screen
        // gets no other event that would draw it again)
        if (!link.equals(this.link) || failing) {
            this.link = Objects.requireNonNull(link, "link");
            refresh();
        }
    }

    /** Storage full or read-only: the red disk indicator with the fields not yet saved; gone when all are. */
    @Override
    public synchronized void storage(StorageStatus storage) {
        if (!storage.equals(this.storage)) {
            this.storage = Objects.requireNonNull(storage, "storage");
            refresh();
        }
    }

    @Override
    public synchronized boolean acknowledge() {
        boolean any = heldAlert != null;
        heldAlert = null;
        heldCount = 0;
        if (any) {
            refresh();
        }
        return any;
    }

    /** The state the screen shows now (or is about to). */
    public synchronized Screen.State state() {
        Optional<Screen.Banner> banner = Optional.empty();
        Alert a = heldAlert != null ? heldAlert : review;
        if (a != null && !(screen instanceof Screen.Stopped)) {
            int count = a.kind() == Alert.Kind.ABNORMAL ? heldCount : 1;
            banner = Optional.of(new Screen.Banner(a.kind(), a.label(), a.probability(),
                    Optional.ofNullable(a.crop()), count));
        }
        return new Screen.State(screen, banner, link, storage);
    }

    /** Shows the "stopped" screen, waits for it to be shown, and closes the display. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            screen = new Screen.Stopped();
            refresh();
            closed = true;
        }
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
            try {
                if (!ownedExecutor.awaitTermination(5, TimeUnit.SECONDS)) {
                    problemLog.accept("Display " + display.describe() + ": stopped screen not shown within 5 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            display.close();
        } catch (RuntimeException e) {
            problemLog.accept("Display " + display.describe() + ": close failed: " + e.getMessage());
        }
    }

    private Screen.Analysing analysing() {
        DifferentialSnapshot d = lastDifferential;
        if (d == null) {
            return new Screen.Analysing(field, 0, targetCells, 0, 0, 0, Map.of());
        }
        return new Screen.Analysing(field, d.leukocytes(), targetCells, d.fields(), d.abnormal(), d.review(),
                new LinkedHashMap<>(d.counts()));
    }

    private static Screen.FieldView fieldView(FieldReport report) {
        BgrImage image = report.field().frame().image();
        List<Screen.MarkedCell> cells = report.calls().stream()
                .map((CellCall c) -> new Screen.MarkedCell(c.region().box(), c.countedLabel(), c.abnormal(), c.review()))
                .toList();
        return new Screen.FieldView(image, cells);
    }

    private static String hint(String base, String detail) {
        return detail.isEmpty() ? base : base + ". " + detail;
    }

    private void refresh() {
        if (closed) {
            return;
        }
        pending.set(state());
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RuntimeException e) {
                drainScheduled.set(false);
                problemLog.accept("Display " + display.describe() + ": render task rejected: " + e.getMessage());
            }
        }
    }

    private void drain() {
        drainScheduled.set(false);
        Screen.State state = pending.getAndSet(null);
        if (state == null) {
            return;
        }
        try {
            if (resync.getAndSet(false)) {
                display.resync();
            }
            BufferedImage frame = renderer.render(state, display.panel());
            display.show(frame);
            if (failing) {
                Logger.info("Display {} works again", display.describe());
                failing = false;
            }
        } catch (RuntimeException e) {
            pending.compareAndSet(null, state); // drawn again at the next event or retry, unless a newer frame came
            if (!failing) {
                problemLog.accept("Display " + display.describe() + " failed, counting continues without it: "
                        + e.getMessage());
                failing = true;
            }
        }
    }
}
