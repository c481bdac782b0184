package org.hematovision.display;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hematovision.capture.Frame;
import org.hematovision.classify.Prediction;
import org.hematovision.field.Field;
import org.hematovision.field.FieldQuality;
import org.hematovision.image.BgrImage;
import org.hematovision.image.Box;
import org.hematovision.sample.Alert;
import org.hematovision.sample.CellCall;
import org.hematovision.sample.DifferentialSnapshot;
import org.hematovision.sample.FieldReport;
import org.hematovision.segment.CellCrop;
import org.hematovision.segment.CellKind;
import org.hematovision.segment.CellRegion;
import org.hematovision.segment.Segmentation;

/** Fixed synthetic sample values for the screens: a drawn smear field, its calls, a differential, alerts. */
final class ScreenFixtures {

    static final String SAMPLE = "S-0007";
    static final int FIELD_W = 400;
    static final int FIELD_H = 300;
    static final Instant TIME = Instant.parse("2026-11-24T04:00:00Z");

    /** White cells of the field: centre x, centre y, radius, label, abnormal, review. */
    private record Wbc(int cx, int cy, int r, String label, boolean abnormal, boolean review) {
    }

    private static final List<Wbc> WBCS = List.of(
            new Wbc(80, 90, 30, "neutrophil", false, false),
            new Wbc(250, 70, 22, "lymphocyte", false, false),
            new Wbc(320, 200, 34, "monocyte", false, false),
            new Wbc(140, 220, 30, "ig", true, false),
            new Wbc(220, 160, 26, "eosinophil", false, true));

    private ScreenFixtures() {
    }

    /** A pink smear with red cells (pale centres) and purple-nucleated white cells, drawn pixel by pixel. */
    static BgrImage field() {
        byte[] px = new byte[FIELD_W * FIELD_H * 3];
        for (int y = 0; y < FIELD_H; y++) {
            for (int x = 0; x < FIELD_W; x++) {
                // uneven illumination: brighter in the middle
                int shade = 12 - (Math.abs(x - FIELD_W / 2) + Math.abs(y - FIELD_H / 2)) / 20;
                set(px, x, y, 232 + shade, 212 + shade, 222 + shade);
            }
        }
        int[][] reds = {{30, 30}, {150, 40}, {200, 110}, {40, 170}, {100, 280}, {300, 120}, {370, 40},
            {380, 280}, {260, 270}, {180, 20}, {60, 250}, {330, 70}};
        for (int[] c : reds) {
            disk(px, c[0], c[1], 17, (dx, dy, d2) -> d2 < 49 ? new int[] {232, 170, 180} : new int[] {212, 120, 135});
        }
        for (Wbc w : WBCS) {
            int lobe = w.r / 3;
            disk(px, w.cx, w.cy, w.r, (dx, dy, d2) -> {
                boolean nucleus = w.label.equals("neutrophil")
                        ? (dx + lobe) * (dx + lobe) + dy * dy < lobe * lobe || (dx - lobe) * (dx - lobe) + dy * dy < lobe * lobe
                        : d2 < (w.r * 2 / 3) * (w.r * 2 / 3);
                return nucleus ? new int[] {105, 50, 140} : new int[] {205, 175, 215};
            });
        }
        return new BgrImage(FIELD_W, FIELD_H, px);
    }

    private interface Paint {
        int[] rgb(int dx, int dy, int d2);
    }

    private static void disk(byte[] px, int cx, int cy, int r, Paint paint) {
        for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
                int x = cx + dx;
                int y = cy + dy;
                int d2 = dx * dx + dy * dy;
                if (d2 <= r * r && x >= 0 && y >= 0 && x < FIELD_W && y < FIELD_H) {
                    int[] c = paint.rgb(dx, dy, d2);
                    set(px, x, y, c[0], c[1], c[2]);
                }
            }
        }
    }

    private static void set(byte[] px, int x, int y, int r, int g, int b) {
        int i = (y * FIELD_W + x) * 3;
        px[i] = (byte) b;
        px[i + 1] = (byte) g;
        px[i + 2] = (byte) r;
    }

    static Box box(Wbc w) {
        return Box.ofCorners(Math.max(0, w.cx - w.r), Math.max(0, w.cy - w.r), Math.min(FIELD_W, w.cx + w.r),
                Math.min(FIELD_H, w.cy + w.r));
    }

    static FieldReport report(long index) {
        BgrImage image = field();
        List<CellRegion> regions = new ArrayList<>();
        List<CellCrop> crops = new ArrayList<>();
        List<CellCall> calls = new ArrayList<>();
        for (Wbc w : WBCS) {
            CellRegion region = new CellRegion(CellKind.WBC, box(w), false);
            regions.add(region);
            crops.add(new CellCrop(region, image.crop(box(w))));
            String label = w.review ? Prediction.REVIEW : w.label;
            calls.add(new CellCall(region, Optional.of(new Prediction(label, w.label, w.review ? 0.41f : 0.93f,
                    new float[] {0.93f, 0.07f}, w.review, w.abnormal))));
        }
        Segmentation seg = new Segmentation(regions, List.of(), List.of(), crops, 0.1, List.of());
        Field field = new Field(index, new Frame(index * 10, index * 1_000_000_000L, image),
                new FieldQuality(250, 180, 0.0, 0.5));
        return new FieldReport(SAMPLE, field, TIME, seg, calls);
    }

    static DifferentialSnapshot running() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("neutrophil", 38);
        counts.put("lymphocyte", 17);
        counts.put("monocyte", 5);
        counts.put("eosinophil", 3);
        counts.put("basophil", 1);
        counts.put("ig", 1);
        counts.put("review", 2);
        return new DifferentialSnapshot(SAMPLE, counts, 67, 2, 1, 4210, 310, 12, 100);
    }

    static DifferentialSnapshot finished() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("neutrophil", 58);
        counts.put("lymphocyte", 27);
        counts.put("monocyte", 7);
        counts.put("eosinophil", 4);
        counts.put("basophil", 1);
        counts.put("ig", 1);
        counts.put("review", 2);
        return new DifferentialSnapshot(SAMPLE, counts, 100, 2, 1, 6300, 460, 18, 100);
    }

    static Alert abnormal() {
        Wbc w = WBCS.get(3);
        return new Alert(SAMPLE, 11, Alert.Kind.ABNORMAL, "ig", 0.91f, box(w), field().crop(box(w)), TIME);
    }

    static Alert review() {
        Wbc w = WBCS.get(4);
        return new Alert(SAMPLE, 11, Alert.Kind.REVIEW, "eosinophil", 0.41f, box(w), field().crop(box(w)), TIME);
    }
}
