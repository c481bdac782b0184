package org.hematovision.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hematovision.mqtt.outbox.FileOutbox;
import org.hematovision.mqtt.outbox.Outbox;
import org.hematovision.mqtt.outbox.OutboxMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledgements that cannot be written (disk full while the broker takes a backlog) are kept and written
 * once the disk accepts them, on the same connection: the messages must not stay pending until a restart.
 */
class AckRetryTest {

    @TempDir
    Path tmp;

    /** A real outbox whose first {@code failures} acknowledgement writes fail, as on a full disk. */
    static final class FullForAWhile implements Outbox {
        final FileOutbox inner;
        final AtomicInteger failures;

        FullForAWhile(FileOutbox inner, int failures) {
            this.inner = inner;
            this.failures = new AtomicInteger(failures);
        }

        @Override
        public boolean append(OutboxMessage message) throws IOException {
            return inner.append(message);
        }

        @Override
        public List<OutboxMessage> pending(long afterSeq, int max) {
            return inner.pending(afterSeq, max);
        }

        @Override
        public void acknowledge(Collection<Long> seqs) throws IOException {
            if (failures.getAndDecrement() > 0) {
                throw new IOException("No space left on device (test)");
            }
            inner.acknowledge(seqs);
        }

        @Override
        public int pendingCount() {
            return inner.pendingCount();
        }

        @Override
        public long diskBytes() {
            return inner.diskBytes();
        }

        @Override
        public long lastSequence() {
            return inner.lastSequence();
        }

        @Override
        public DropCount takeDropped() {
            return inner.takeDropped();
        }

        @Override
        public int corruptRecordsSkipped() {
            return inner.corruptRecordsSkipped();
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }

    @Test
    void acknowledgementsThatFailedToSaveAreSavedLaterOnTheSameConnection() throws Exception {
        int port = Mosquitto.freePort();
        try (EmbeddedBroker broker = EmbeddedBroker.start(port)) {
            MqttConfig cfg = Fixtures.config(broker.uri(), "dev-k", tmp.resolve("outbox"));
            FullForAWhile outbox = new FullForAWhile(FileOutbox.open(cfg.outboxDir(), cfg.outboxMaxBytes()), 3);
            AtomicInteger connects = new AtomicInteger();
            CountDownLatch connected = new CountDownLatch(1);
            try (MqttPublisher pub = new MqttPublisher(cfg, Fixtures.INFO, outbox, null, new ConnectionListener() {
                @Override
                public void connected(String uri) {
                    connects.incrementAndGet();
                    connected.countDown();
                }
            }).start()) {
                assertTrue(connected.await(20, TimeUnit.SECONDS), "publisher connected");
                pub.sampleStarted("K1", 0);
                for (int i = 0; i < 5; i++) {
                    pub.fieldAnalysed(Fixtures.field("K1", i), Fixtures.differential("K1", i + 1));
                }
                assertEquals(0, EmbeddedBrokerPublisherTest.awaitDrained(pub), "every acknowledgement saved in the end");
                assertTrue(outbox.failures.get() < 0, "the failing writes happened");
                assertEquals(1, connects.get(), "without a reconnect");
            }
        }
    }
}
