package org.hematovision.mqtt;

import java.nio.file.Path;
import org.hematovision.mqtt.outbox.FileOutbox;

/**
 * The "service" of the kill -9 test, run in a child JVM: {@code OutboxChild OUTBOX_DIR BROKER_URI DEVICE
 * MODE COUNT}. MODE {@code run}: publish COUNT fields as fast as it can (the parent kills it midway).
 * MODE {@code finish}: publish COUNT more fields and the sample summary, wait until the outbox is
 * empty, print {@code DONE <lastSeq>} and exit cleanly.
 */
public final class OutboxChild {

    private OutboxChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        MqttConfig cfg = Fixtures.config(args[1], args[2], dir);
        String mode = args[3];
        int count = Integer.parseInt(args[4]);
        try (MqttPublisher pub = new MqttPublisher(cfg, Fixtures.INFO, FileOutbox.open(dir, cfg.outboxMaxBytes()), null,
                ConnectionListener.NONE).start()) {
            System.out.println("STARTED pending=" + pub.pendingCount() + " last=" + pub.lastSequence());
            if (mode.equals("run")) {
                pub.sampleStarted("K1", 0);
            }
            for (int i = 0; i < count; i++) {
                pub.fieldAnalysed(Fixtures.field("K1", i), Fixtures.differential("K1", i + 1));
                if (i % 25 == 0) {
                    System.out.println("APPENDED " + pub.lastSequence() + " pending=" + pub.pendingCount());
                }
            }
            if (mode.equals("finish")) {
                pub.sampleFinished(Fixtures.differential("K1", count), "restarted and finished");
                long end = System.currentTimeMillis() + 60_000;
                while (pub.pendingCount() > 0 && System.currentTimeMillis() < end) {
                    Thread.sleep(20); // bounded wait for the broker's acknowledgements
                }
                System.out.println("DONE " + pub.lastSequence() + " pending=" + pub.pendingCount());
            }
        }
    }
}
