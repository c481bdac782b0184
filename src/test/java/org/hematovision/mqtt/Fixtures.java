package org.hematovision.mqtt;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
import org.hematovision.segment.CellKind;
import org.hematovision.segment.CellRegion;
import org.hematovision.segment.Segmentation;

/** Plain values as the pipeline hands them to sinks. */
final class Fixtures {

    static final DeviceInfo INFO = new DeviceInfo("0.1.0-test", "mobilenetv2-pbc", "2026.11.1", "sha256:abc123");
    private static final BgrImage PIXEL = new BgrImage(4, 4, new byte[4 * 4 * 3]);

    private Fixtures() {
    }

    static MqttConfig config(String broker, String deviceId, Path outbox) {
        return new MqttConfig(broker, MqttConfig.DEFAULT_EMBEDDED_PORT, deviceId, "hematovision", Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Duration.ofSeconds(5), outbox, MqttConfig.DEFAULT_OUTBOX_MAX_BYTES, Duration.ofMillis(50),
                Duration.ofMillis(400));
    }

    static FieldReport field(String sampleId, long index) {
        Box b = new Box(10, 20, 30, 30);
        Prediction p = new Prediction("neutrophil", "neutrophil", 0.93f, new float[] {0.93f, 0.07f}, false, false);
        Prediction r = new Prediction(Prediction.REVIEW, "lymphocyte", 0.41f, new float[] {0.41f, 0.59f}, true, false);
        List<CellCall> calls = List.of(new CellCall(new CellRegion(CellKind.WBC, b, false), Optional.of(p)),
                new CellCall(new CellRegion(CellKind.WBC, new Box(60, 5, 28, 31), false), Optional.of(r)),
                new CellCall(new CellRegion(CellKind.WBC, new Box(0, 40, 12, 30), true), Optional.empty()));
        Segmentation seg = new Segmentation(calls.stream().map(CellCall::region).toList(),
                List.of(new CellRegion(CellKind.RBC, new Box(1, 1, 8, 8), false)), List.of(), List.of(), 0.1,
                List.of());
        Field f = new Field(index, new Frame(index, index * 1000, PIXEL), new FieldQuality(120, 140, 0.001, 0.2));
        return new FieldReport(sampleId, f, Instant.now(), seg, calls);
    }

    static DifferentialSnapshot differential(String sampleId, int fields) {
        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        counts.put("neutrophil", fields * 2);
        counts.put("lymphocyte", fields);
        counts.put(Prediction.REVIEW, fields);
        return new DifferentialSnapshot(sampleId, counts, fields * 4, fields, 0, fields * 40L, fields * 5L, fields, 100);
    }

    static Alert alert(String sampleId, long field) {
        return new Alert(sampleId, field, Alert.Kind.ABNORMAL, "ig", 0.88f, new Box(5, 5, 20, 20), PIXEL, Instant.now());
    }
}
