package org.hematovision.display;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hematovision.image.BgrImage;
import org.hematovision.image.Box;
import org.hematovision.sample.Alert;
import org.hematovision.sample.DifferentialSnapshot;
import org.hematovision.sample.StorageStatus;

/**
 * What the screen shows, as plain values: one of the main screens below, plus an optional alert banner
 * over it and the link and storage indicators in the corner. {@link ScreenRenderer} turns a {@link State} into pixels.
 */
public sealed interface Screen {

    /** Waiting for a slide. */
    record Ready(String hint) implements Screen {
    }

    /** The camera cannot be read; {@code hint} says what to do. */
    record CameraMissing(String hint) implements Screen {
    }

    /** Frames arrive but none is sharp. */
    record OutOfFocus(String hint) implements Screen {
    }

    /** A sample in progress: the last field (if any) and the running count towards the target. */
    record Analysing(Optional<FieldView> field, int leukocytes, int targetCells, int fields, int abnormal,
                     int review, Map<String, Integer> counts) implements Screen {
        public Analysing {
            Objects.requireNonNull(field, "field");
            counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        }
    }

    /** The sample closed: the differential as a bar graph. */
    record Finished(DifferentialSnapshot differential, String reason) implements Screen {
    }

    /** The service stopped; safe to power off. */
    record Stopped() implements Screen {
    }

    /** A field image and its white cells, each boxed in its class colour. */
    record FieldView(BgrImage image, List<MarkedCell> cells) {
        public FieldView {
            cells = List.copyOf(cells);
        }
    }

    /** One white cell on the thumbnail. */
    record MarkedCell(Box box, String label, boolean abnormal, boolean review) {
    }

    /**
     * The alert banner: the newest alert and how many are held in all. Abnormal alerts are held until
     * acknowledged; review alerts are shown until the next field.
     */
    record Banner(Alert.Kind kind, String label, float probability, Optional<BgrImage> crop, int held) {
    }

    /**
     * Everything on screen at one moment; {@code storage} drives the disk indicator beside the link
     * indicator (shown only while counted fields cannot be saved).
     */
    record State(Screen screen, Optional<Banner> banner, LinkStatus link, StorageStatus storage) {
        public State {
            Objects.requireNonNull(screen, "screen");
            Objects.requireNonNull(banner, "banner");
            Objects.requireNonNull(link, "link");
            Objects.requireNonNull(storage, "storage");
        }

        /** A state with the storage working. */
        public State(Screen screen, Optional<Banner> banner, LinkStatus link) {
            this(screen, banner, link, StorageStatus.OK);
        }
    }
}
