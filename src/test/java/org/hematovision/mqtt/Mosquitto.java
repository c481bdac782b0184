package org.hematovision.mqtt;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A Debian {@code mosquitto} started by a test on 127.0.0.1 with a generated config. Without the
 * binary the test is skipped with a message, or fails when {@code CI=true}.
 */
final class Mosquitto implements AutoCloseable {

    private static final List<Path> CANDIDATES = List.of(Path.of("/usr/sbin/mosquitto"), Path.of("/usr/bin/mosquitto"),
            Path.of("/usr/local/sbin/mosquitto"));

    private final Path binary;
    private final Path dir;
    private final Path config;
    private final int port;
    private Process process;

    private Mosquitto(Path binary, Path dir, int port, String extraConfig) throws IOException {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
        this.config = dir.resolve("mosquitto.conf");
        Files.writeString(config, "per_listener_settings false\n"
                + "listener " + port + " 127.0.0.1\n"
                + "allow_anonymous true\n"
                // as root mosquitto would switch to user "mosquitto", which cannot read the test's 0700 temp dir
                + "user " + System.getProperty("user.name") + "\n"
                + "log_dest file " + dir.resolve("mosquitto.log") + "\n"
                + "log_type error\nlog_type warning\nlog_type notice\n"
                + extraConfig);
    }

    /** The binary, or skip (fail under CI=true) with a visible message. */
    static Path binary() {
        for (Path p : CANDIDATES) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String msg = "mosquitto not installed (apt-get install -y mosquitto); looked in " + CANDIDATES;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI=true but " + msg);
        }
        System.out.println("SKIPPED: " + msg);
        Assumptions.abort("SKIPPED: " + msg);
        return null;
    }

    /** Starts mosquitto on a free port; {@code extraConfig} is appended to the generated file (extra listeners, TLS). */
    static Mosquitto start(Path dir, String extraConfig) throws IOException, InterruptedException {
        return start(dir, extraConfig, freePort());
    }

    static Mosquitto start(Path dir, String extraConfig, int port) throws IOException, InterruptedException {
        Mosquitto m = new Mosquitto(binary(), dir, port, extraConfig);
        m.start();
        return m;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    Path dir() {
        return dir;
    }

    /** Starts (again, on the same port) and returns once it accepts connections. */
    void start() throws IOException, InterruptedException {
        process = new ProcessBuilder(binary.toString(), "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        awaitListening(port, process);
    }

    /** Stops gracefully (SIGTERM; mosquitto saves its persistence file) and waits for the exit. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    String log() {
        try {
            return Files.readString(dir.resolve("mosquitto.log")) + Files.readString(dir.resolve("stdout.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Waits for the port to accept a TCP connection: bounded, and fails at once if the process died. */
    static void awaitListening(int port, Process p) throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < end) {
            if (p != null && !p.isAlive()) {
                throw new IOException("mosquitto exited with " + p.exitValue() + " before listening on " + port);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(20); // poll of a starting process, bounded above
            }
        }
        throw new IOException("mosquitto did not listen on " + port + " within 15 s");
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
