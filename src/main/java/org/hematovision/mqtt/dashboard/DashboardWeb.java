package org.hematovision.mqtt.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One local page with per-device bar graphs ({@code /}) that polls {@code /state.json} every second.
 * Bound to 127.0.0.1: the dashboard is for the person at this computer, not the network.
 */
public final class DashboardWeb implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private DashboardWeb(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * @param port 0 for any free port
     * @throws IOException the port is taken (the message names it)
     */
    public static DashboardWeb start(DashboardState state, int port) throws IOException {
        byte[] page;
        try (InputStream in = DashboardWeb.class.getResourceAsStream("dashboard.html")) {
            if (in == null) {
                throw new IOException("dashboard.html missing from the classpath");
            }
            page = in.readAllBytes();
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (BindException e) {
            throw new IOException("dashboard --web: port 127.0.0.1:" + port + " is already in use (choose another)", e);
        }
        server.createContext("/", ex -> {
            if (ex.getRequestURI().getPath().equals("/")) {
                send(ex, 200, "text/html; charset=utf-8", page);
            } else {
                send(ex, 404, "text/plain", "not found".getBytes());
            }
        });
        server.createContext("/state.json", ex -> send(ex, 200, "application/json", state.toJson()));
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "dashboard-web");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        return new DashboardWeb(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port() + "/";
    }

    private static void send(HttpExchange ex, int code, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(code, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
