package org.hematovision.mqtt.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.hematovision.cli.Main;
import org.hematovision.mqtt.DashboardFixtures;
import org.hematovision.mqtt.EmbeddedBroker;
import org.hematovision.mqtt.MqttConfig;
import org.hematovision.mqtt.MqttPublisher;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The reference subscriber against a publishing device through the embedded broker. */
@SuppressWarnings("try") // resources kept open for the test, used through the broker
@Timeout(120)
class DashboardTest {

    @TempDir
    Path tmp;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Waits until the dashboard state satisfies {@code cond}, woken by each applied message. */
    private static void await(Semaphore events, DashboardState state, java.util.function.Predicate<DashboardState> cond)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!cond.test(state)) {
            if (!events.tryAcquire(end - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                throw new AssertionError("dashboard state not reached: " + state.table());
            }
        }
    }

    private static boolean hasWhiteCells(DashboardState s, String device, int n) {
        return s.devices().stream().anyMatch(d -> d.deviceId().equals(device) && d.whiteCells() == n
                && d.status().equals("online"));
    }

    @Test
    void webPageAndJsonFollowTheRunningSample() throws Exception {
        int port = DashboardFixtures.freePort();
        try (EmbeddedBroker broker = EmbeddedBroker.start(port);
             MqttPublisher pub = DashboardFixtures.publisher(broker.uri(), "dev-d", tmp.resolve("o"))) {
            DashboardState state = new DashboardState();
            Semaphore events = new Semaphore(0);
            MqttConfig cfg = DashboardFixtures.config(broker.uri(), "x", tmp.resolve("unused"));
            try (DashboardSubscriber sub = new DashboardSubscriber(cfg, state, e -> events.release());
                 DashboardWeb web = DashboardWeb.start(state, 0)) {
                DashboardFixtures.runSample(pub, "D1", 5);
                await(events, state, s -> hasWhiteCells(s, "dev-d", 20));
                HttpClient http = HttpClient.newHttpClient();
                JsonNode json = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(web.url() + "state.json")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                JsonNode d = json.at("/devices/0");
                assertEquals("dev-d", d.get("deviceId").asText());
                assertEquals(10, d.at("/counts/neutrophil").asInt());
                assertEquals("D1", d.get("sampleId").asText());
                String page = http.send(HttpRequest.newBuilder(URI.create(web.url())).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(page.contains("state.json") && page.contains("HematoVision"));
                assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(web.url() + "x")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());
            }
        }
    }

    @Test
    void followsDevicesAgainAfterTheBrokerRestarts() throws Exception {
        int port = DashboardFixtures.freePort();
        String uri = "tcp://127.0.0.1:" + port;
        DashboardState state = new DashboardState();
        Semaphore events = new Semaphore(0);
        java.util.concurrent.BlockingQueue<String> said = new java.util.concurrent.LinkedBlockingQueue<>();
        MqttConfig cfg = DashboardFixtures.config(uri, "x", tmp.resolve("unused"));
        EmbeddedBroker broker = EmbeddedBroker.start(port);
        try (DashboardSubscriber sub = new DashboardSubscriber(cfg, state, e -> {
            said.add(e);
            events.release();
        })) {
            try (MqttPublisher pub = DashboardFixtures.publisher(uri, "dev-r1", tmp.resolve("o1"))) {
                DashboardFixtures.runSample(pub, "R1", 2);
                await(events, state, s -> hasWhiteCells(s, "dev-r1", 8));
            }
            broker.close();
            awaitSaid(said, "connection lost");
            broker = EmbeddedBroker.start(port);
            awaitSaid(said, "subscribed again");
            assertTrue(sub.connected());
            try (MqttPublisher pub = DashboardFixtures.publisher(uri, "dev-r2", tmp.resolve("o2"))) {
                DashboardFixtures.runSample(pub, "R2", 3);
                await(events, state, s -> hasWhiteCells(s, "dev-r2", 12));
            }
        } finally {
            broker.close();
        }
    }

    /** Waits for an event that starts with {@code prefix}. */
    private static void awaitSaid(java.util.concurrent.BlockingQueue<String> said, String prefix) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        java.util.List<String> seen = new java.util.ArrayList<>();
        while (System.nanoTime() < end) {
            String e = said.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (e == null) {
                break;
            }
            seen.add(e);
            if (e.startsWith(prefix)) {
                return;
            }
        }
        throw new AssertionError("the dashboard did not say \"" + prefix + "...\"; it said " + seen);
    }

    @Test
    void subcommandPrintsTheTable() throws Exception {
        int port = DashboardFixtures.freePort();
        try (EmbeddedBroker broker = EmbeddedBroker.start(port);
             MqttPublisher pub = DashboardFixtures.publisher(broker.uri(), "dev-cli", tmp.resolve("o"))) {
            DashboardFixtures.awaitConnected(pub);
            StringWriter out = new StringWriter();
            CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(out, true));
            int rc = cl.execute("dashboard", "--broker", broker.uri(), "--duration", "1", "--interval", "1");
            assertEquals(0, rc, out.toString());
            assertTrue(out.toString().matches("(?s).*dev-cli\\s+online\\s+READY.*"), out.toString());
        }
    }

    @Test
    void brokerDownIsOneClearLine() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int rc = cl.execute("dashboard", "--broker", "tcp://127.0.0.1:1", "--duration", "1");
        assertEquals(1, rc);
        assertTrue(err.toString().contains("cannot connect to tcp://127.0.0.1:1"), err.toString());
    }

    /** Headless Chromium renders the page while a sample runs; the screenshot goes to target/screens/. */
    @Test
    void chromiumShowsTheDifferential() throws Exception {
        Path chromium = chromiumOrSkip();
        int port = DashboardFixtures.freePort();
        try (EmbeddedBroker broker = EmbeddedBroker.start(port);
             MqttPublisher a = DashboardFixtures.publisher(broker.uri(), "clinic-north-1", tmp.resolve("oa"));
             MqttPublisher b = DashboardFixtures.publisher(broker.uri(), "clinic-south-2", tmp.resolve("ob"))) {
            DashboardState state = new DashboardState();
            Semaphore events = new Semaphore(0);
            try (DashboardSubscriber sub = new DashboardSubscriber(
                    DashboardFixtures.config(broker.uri(), "x", tmp.resolve("u")), state, e -> events.release());
                 DashboardWeb web = DashboardWeb.start(state, 0)) {
                DashboardFixtures.runSample(a, "N-0042", 12);
                DashboardFixtures.runSample(b, "S-0007", 5);
                await(events, state, s -> hasWhiteCells(s, "clinic-north-1", 48) && hasWhiteCells(s, "clinic-south-2", 20));
                Path shots = Files.createDirectories(Path.of("target", "screens"));
                Path png = shots.resolve("dashboard.png");
                Files.deleteIfExists(png);
                String dom = chromium(chromium, web.url(), "--dump-dom");
                assertTrue(dom.contains("device-clinic-north-1") && dom.contains("neutrophil")
                        && dom.contains("24 (50.0%)"), dom);
                chromium(chromium, web.url(), "--screenshot=" + png.toAbsolutePath());
                assertTrue(Files.size(png) > 10_000, "screenshot written: " + png);
            }
        }
    }

    /** A device whose counts carry a label that is also a JavaScript built-in must not freeze every card. */
    @Test
    void oneDevicesOddDataDoesNotFreezeThePage() throws Exception {
        Path chromium = chromiumOrSkip();
        DashboardState state = new DashboardState();
        String diff = "{\"schema\":1,\"type\":\"differential\",\"messageId\":\"%s\",\"deviceId\":\"%s\","
                + "\"sampleId\":\"S\",\"seq\":1,\"timestamp\":\"2026-11-25T03:00:00Z\",\"counts\":%s,"
                + "\"percent\":%s,\"whiteCells\":3,\"leukocytes\":3,\"fields\":1,\"targetCells\":100}";
        assertTrue(state.accept("hematovision/a-odd/differential", String.format(diff, "m1", "a-odd",
                "{\"constructor\":3}", "{}").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertTrue(state.accept("hematovision/b-good/differential", String.format(diff, "m2", "b-good",
                "{\"neutrophil\":3}", "{\"neutrophil\":100.0}").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try (DashboardWeb web = DashboardWeb.start(state, 0)) {
            String dom = chromium(chromium, web.url(), "--dump-dom");
            assertTrue(dom.contains("device-b-good") && dom.contains("3 (100.0%)"), dom);
        }
    }

    /** The headless browser, or the test is skipped visibly where it is not installed. */
    private static Path chromiumOrSkip() {
        Path chromium = Path.of("/usr/bin/chromium");
        if (!Files.isExecutable(chromium)) {
            System.out.println("SKIPPED: chromium not installed (apt-get install -y chromium)");
            Assumptions.abort("chromium not installed");
        }
        return chromium;
    }

    private String chromium(Path bin, String url, String action) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(bin.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + Files.createTempDirectory(tmp, "chrome"), "--window-size=1000,300",
                "--virtual-time-budget=4000", action, url));
        Process p = new ProcessBuilder(cmd).redirectError(tmp.resolve("chrome-err.log").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium finished");
        return out;
    }
}
