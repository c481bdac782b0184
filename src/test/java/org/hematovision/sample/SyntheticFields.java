package org.hematovision.sample;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hematovision.capture.Frame;
import org.hematovision.classify.Prediction;
import org.hematovision.field.Field;
import org.hematovision.field.FieldQuality;
import org.hematovision.image.BgrImage;
import org.hematovision.image.Box;
import org.hematovision.segment.CellKind;
import org.hematovision.segment.CellRegion;
import org.hematovision.segment.Segmentation;

/** Builds {@link FieldReport}s whose white cells have known classes (test fixture). */
public final class SyntheticFields {

    public static final List<String> LABELS =
            List.of("basophil", "eosinophil", "erythroblast", "ig", "lymphocyte", "monocyte", "neutrophil", "platelet");
    public static final Set<String> EXCLUDED = Set.of("platelet");
    public static final Set<String> ABNORMAL = Set.of("ig", "erythroblast");

    public static final int WIDTH = 160;
    public static final int HEIGHT = 120;

    private SyntheticFields() {
    }

    /**
     * One field with one white cell per entry of {@code labels}; {@code "review"} makes a low-confidence
     * neutrophil-looking cell, {@code "border"} a border-cut cell without a prediction.
     */
    public static FieldReport field(String sampleId, long index, Instant time, List<String> labels, int redCells,
                                    int platelets) {
        List<CellRegion> wbc = new ArrayList<>();
        List<CellCall> calls = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            Box box = new Box(4 + (i % 6) * 25, 4 + (i / 6) * 25, 20, 20);
            String label = labels.get(i);
            CellRegion region = new CellRegion(CellKind.WBC, box, label.equals("border"));
            wbc.add(region);
            calls.add(new CellCall(region, prediction(label)));
        }
        List<CellRegion> rbc = new ArrayList<>();
        for (int i = 0; i < redCells; i++) {
            rbc.add(new CellRegion(CellKind.RBC, new Box(i % 150, 100, 8, 8), false));
        }
        List<CellRegion> plt = new ArrayList<>();
        for (int i = 0; i < platelets; i++) {
            plt.add(new CellRegion(CellKind.PLATELET, new Box(i % 150, 110, 3, 3), false));
        }
        Segmentation seg = new Segmentation(wbc, rbc, plt, List.of(), Double.NaN, List.of());
        Field field = new Field(index, new Frame(index, index * 1_000_000L, image(index)), new FieldQuality(500, 180, 0, 0));
        return new FieldReport(sampleId, field, time, seg, calls);
    }

    static Optional<Prediction> prediction(String label) {
        if (label.equals("border")) {
            return Optional.empty();
        }
        float[] p = new float[LABELS.size()];
        if (label.equals(Prediction.REVIEW)) {
            p[LABELS.indexOf("neutrophil")] = 0.4f;
            return Optional.of(new Prediction(Prediction.REVIEW, "neutrophil", 0.4f, p, true, false));
        }
        p[LABELS.indexOf(label)] = 0.97f;
        return Optional.of(new Prediction(label, label, 0.97f, p, false, ABNORMAL.contains(label)));
    }

    /** A pinkish field with a dark purple blob per cell position, different for each index. */
    static BgrImage image(long index) {
        byte[] px = new byte[WIDTH * HEIGHT * 3];
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int o = (y * WIDTH + x) * 3;
                boolean nucleus = ((x - 4) % 25 < 20) && ((y - 4) % 25 < 20) && x >= 4 && y >= 4 && y < 54
                        && Math.hypot((x - 4) % 25 - 10, (y - 4) % 25 - 10) < 7 + (index % 3);
                px[o] = (byte) (nucleus ? 140 : 215);
                px[o + 1] = (byte) (nucleus ? 40 : 190);
                px[o + 2] = (byte) (nucleus ? 90 : 230);
            }
        }
        return new BgrImage(WIDTH, HEIGHT, px);
    }
}
