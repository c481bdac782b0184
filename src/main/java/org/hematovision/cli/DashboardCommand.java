package org.hematovision.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hematovision.mqtt.MqttConfig;
import org.hematovision.mqtt.dashboard.DashboardState;
import org.hematovision.mqtt.dashboard.DashboardSubscriber;
import org.hematovision.mqtt.dashboard.DashboardWeb;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Reference subscriber: the latest status and differential of every device, de-duplicated by message id. */
@Command(name = "dashboard", mixinStandardHelpOptions = true, description = "Subscribe to a broker and show every device's status and running "
        + "differential (live table; --web PORT for a local page with bar graphs).")
public final class DashboardCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--broker", defaultValue = "tcp://127.0.0.1:1883", description = "tcp://host:port or ssl://host:port (default: ${DEFAULT-VALUE})")
    String broker;

    @Option(names = "--prefix", defaultValue = MqttConfig.DEFAULT_TOPIC_PREFIX, description = "topic prefix (default: ${DEFAULT-VALUE})")
    String prefix;

    @Option(names = "--username", description = "broker user name")
    String username;

    @Option(names = "--password-file", description = "file holding the broker password (kept off the command line)")
    Path passwordFile;

    @Option(names = "--ca", description = "PEM CA file that signs the broker certificate (ssl://)")
    Path ca;

    @Option(names = "--cert", description = "client certificate: PEM, or PKCS12 (.p12/.pfx)")
    Path cert;

    @Option(names = "--key", description = "PKCS8 PEM key of a PEM client certificate")
    Path key;

    @Option(names = "--key-password-file", description = "file holding the PKCS12 password")
    Path keyPasswordFile;

    @Option(names = "--web", paramLabel = "PORT", description = "serve the live page on http://127.0.0.1:PORT/")
    Integer webPort;

    @Option(names = "--interval", defaultValue = "2", description = "seconds between table redraws (default: ${DEFAULT-VALUE})")
    int interval;

    @Option(names = "--duration", defaultValue = "0", description = "stop after this many seconds (0: until Ctrl-C)")
    int duration;

    @Override
    @SuppressWarnings("try") // the subscriber works through its callbacks; the try only closes it
    public Integer call() throws IOException, InterruptedException {
        MqttConfig cfg = new MqttConfig(broker, MqttConfig.DEFAULT_EMBEDDED_PORT, "dashboard", prefix,
                Optional.ofNullable(username), secret(passwordFile), Optional.ofNullable(ca), Optional.ofNullable(cert),
                Optional.ofNullable(key), secret(keyPasswordFile), MqttConfig.DEFAULT_KEEPALIVE,
                MqttConfig.DEFAULT_OUTBOX_DIR, MqttConfig.DEFAULT_OUTBOX_MAX_BYTES, MqttConfig.DEFAULT_BACKOFF_MIN,
                MqttConfig.DEFAULT_BACKOFF_MAX);
        if (webPort != null) {
            org.hematovision.config.ConfigException.requireRange("--web", webPort, 0, 65535);
        }
        org.hematovision.config.ConfigException.requireRange("--interval", interval, 1, 3600);
        PrintWriter out = spec.commandLine().getOut();
        DashboardState state = new DashboardState();
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown);
        Runtime.getRuntime().addShutdownHook(hook);
        try (DashboardSubscriber sub = connect(cfg, state, out);
             DashboardWeb web = webPort == null ? null : DashboardWeb.start(state, webPort)) {
            if (web != null) {
                out.println("dashboard page: " + web.url());
            }
            long end = duration > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(duration) : Long.MAX_VALUE;
            boolean ansi = System.console() != null;
            do {
                out.print(ansi ? "\033[H\033[2J" : "\n");
                out.print(state.table());
                out.flush();
            } while (!stop.await(Math.min(Duration.ofSeconds(interval).toNanos(), Math.max(0, end - System.nanoTime())),
                    TimeUnit.NANOSECONDS) && System.nanoTime() < end);
            out.print(state.table());
            out.flush();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the JVM is already exiting
            }
        }
        return 0;
    }

    private static DashboardSubscriber connect(MqttConfig cfg, DashboardState state, PrintWriter out) throws IOException {
        try {
            return new DashboardSubscriber(cfg, state, e -> {
                if (!e.contains("/")) {
                    out.println("dashboard: " + e);
                    out.flush();
                }
            });
        } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new IOException("cannot connect to " + cfg.serverUri() + ": " + e.getMessage()
                    + (root != e ? " (" + root.getMessage() + ")" : "") + "; is the broker running?", e);
        }
    }

    private static Optional<String> secret(Path file) throws IOException {
        if (file == null) {
            return Optional.empty();
        }
        return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
    }
}
