package org.hematovision.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The service process killed with SIGKILL mid-sample, restarted on the same outbox. */
@Timeout(240)
class KillDashNineTest {

    @TempDir
    Path tmp;

    private Process child(Path outbox, String uri, String mode, int count) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                OutboxChild.class.getName(), outbox.toString(), uri, "dev-k", mode, Integer.toString(count)));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /** One reader per child: keeps its lines and lets the test wait for one. */
    private static final class Output {
        private final List<String> lines = new ArrayList<>();
        private final StringBuilder log;
        private boolean ended;

        Output(Process p, StringBuilder log) {
            this.log = log;
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        add(l);
                    }
                } catch (java.io.IOException e) {
                    // stream closed by the kill
                }
                synchronized (this) {
                    ended = true;
                    notifyAll();
                }
            });
            t.setDaemon(true);
            t.start();
        }

        private synchronized void add(String l) {
            lines.add(l);
            synchronized (log) {
                log.append(l).append('\n');
            }
            notifyAll();
        }

        /** The first line passing {@code test}, or null when the child ended or the time ran out. */
        synchronized String await(java.util.function.Predicate<String> test, long seconds) throws InterruptedException {
            long end = System.currentTimeMillis() + seconds * 1000;
            int i = 0;
            while (true) {
                for (; i < lines.size(); i++) {
                    if (test.test(lines.get(i))) {
                        return lines.get(i);
                    }
                }
                long left = end - System.currentTimeMillis();
                if (ended || left <= 0) {
                    return null;
                }
                wait(left);
            }
        }
    }

    @Test
    void nothingAcknowledgedIsSentAsNewAndNothingIsLost() throws Exception {
        Path bdir = Files.createDirectories(tmp.resolve("broker"));
        Path outbox = tmp.resolve("outbox");
        // a persistent subscriber session on a persistent broker: what is published while the
        // subscriber reconnects is queued for it, so every loss counted below is the device's
        try (Mosquitto broker = Mosquitto.start(bdir, String.format(
                "persistence true\npersistence_location %s/\nmax_queued_messages 0\n", bdir));
             TestSubscriber sub = new TestSubscriber(broker.uri(), "hematovision/#", true)) {
            broker.stop();
            StringBuilder log = new StringBuilder();
            // the first run builds a backlog while the broker is down ...
            Process first = child(outbox, broker.uri(), "run", 1_000_000);
            long backlog;
            int beforeRestart;
            try {
                Output firstOut = new Output(first, log);
                String l = firstOut.await(s -> s.startsWith("APPENDED") && Long.parseLong(s.split("[ =]")[1]) >= 3000, 120);
                assertTrue(l != null, "first child appended a backlog:\n" + log);
                broker.start();
                // ... and is killed in the middle of replaying it: as soon as acknowledgements flow
                String replaying = firstOut.await(s -> {
                    String[] f = s.split("[ =]");
                    return s.startsWith("APPENDED") && Long.parseLong(f[3]) < Long.parseLong(f[1]);
                }, 120);
                assertTrue(replaying != null, "first child started replaying:\n" + log);
                System.out.println("killing the first child at: " + replaying);
            } finally {
                first.destroyForcibly(); // SIGKILL mid-sample, mid-replay
                first.waitFor(10, TimeUnit.SECONDS);
            }
            beforeRestart = Delivery.of(sub.snapshot(), "dev-k").unique().size();
            // the broker noticed the dead connection and published the retained Will
            sub.await(rs -> rs.stream().anyMatch(r -> r.topic().equals("hematovision/dev-k/status")
                    && r.json().get("status").asText().equals("offline")), Duration.ofSeconds(30), "the Will (offline)");

            Process second = child(outbox, broker.uri(), "finish", 200);
            Output out = new Output(second, log);
            String done = out.await(s -> s.startsWith("DONE"), 120);
            backlog = Long.parseLong(out.await(s -> s.startsWith("STARTED"), 1).split("[ =]")[2]);
            assertTrue(second.waitFor(30, TimeUnit.SECONDS));
            assertTrue(done != null && done.endsWith("pending=0"), "second run drained the outbox:\n" + log);
            long sent = Long.parseLong(done.split(" ")[1]);
            List<TestSubscriber.Received> got = sub.await(rs -> Delivery.of(rs, "dev-k").complete(sent),
                    Duration.ofSeconds(60), "every message 1.." + sent);
            Delivery d = Delivery.of(got, "dev-k");
            System.out.printf("kill -9 run: sent=%d unique at the subscriber when the kill landed=%d pending in the outbox at restart=%d "
                    + "lost=%d duplicates seen and removed=%d%n", sent, beforeRestart, backlog, d.missing(sent), d.duplicates());
            assertTrue(backlog > 0, "the restart had a backlog to replay");
            assertEquals(0, d.missing(sent), "nothing lost");
            assertEquals(0, d.idConflicts(), "no seq re-sent under a new message id");
            assertTrue(d.inOrder(), "per-device order after de-duplication");
            // only what was in flight or acknowledged-but-not-yet-synced at the kill may come again
            assertTrue(d.duplicates() <= 2 * MqttLink.WINDOW, "duplicates " + d.duplicates() + " <= " + 2 * MqttLink.WINDOW);
        }
    }
}
