package org.hematovision.mqtt;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Properties;
import org.tinylog.Logger;

/**
 * In-process Moquette broker for the zero-setup default ({@code mqtt.broker=embedded}). Listens on
 * 127.0.0.1 only, without persistence (the device's outbox is what keeps messages), anonymous access
 * (loopback only). Stopped by {@link #close()}, which may be called more than once.
 */
public final class EmbeddedBroker implements AutoCloseable {

    public static final String HOST = "127.0.0.1";

    private final Server server;
    private final int port;
    private boolean closed;

    private EmbeddedBroker(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts a broker on {@code 127.0.0.1:port}.
     *
     * @throws IOException with a message naming the port when it is taken or the broker cannot start
     */
    /** Largest MQTT packet the embedded broker accepts. */
    public static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    public static EmbeddedBroker start(int port) throws IOException {
        // Moquette logs a failed bind and carries on (its bound port is set asynchronously), so the
        // port is probed first to give the user a clear error
        try (ServerSocket probe = new ServerSocket()) {
            // Reuse: connections of a broker that just stopped may linger in TIME_WAIT; a live listener still fails the bind.
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
        } catch (BindException e) {
            throw portTaken(port, e);
        }
        Properties p = new Properties();
        p.setProperty(IConfig.HOST_PROPERTY_NAME, HOST);
        p.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(port));
        p.setProperty(IConfig.WEB_SOCKET_PORT_PROPERTY_NAME, io.moquette.BrokerConstants.DISABLED_PORT_BIND);
        p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
        p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        // Moquette refuses packets above 8 KB by default and drops the connection: a field with many
        // cells or a sample record is larger than that.
        p.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(MAX_MESSAGE_BYTES));
        // The broker closes its connections first on stop, so they linger in TIME_WAIT on this port for
        // a minute: without SO_REUSEADDR a restart within that minute could not bind.
        p.setProperty(io.moquette.BrokerConstants.NETTY_SO_REUSEADDR_PROPERTY_NAME, "true");
        // mosquitto_sub without -i connects with an empty client id (MQTT 3.1.1, clean session), which
        // Moquette refuses unless told otherwise: the documented way to watch the appliance must work.
        p.setProperty(io.moquette.BrokerConstants.ALLOW_ZERO_BYTE_CLIENT_ID_PROPERTY_NAME, "true");
        Server server = new Server();
        try {
            server.startServer(new MemoryConfig(p));
        } catch (IOException | RuntimeException e) {
            server.stopServer();
            throw new IOException("embedded MQTT broker could not start on " + HOST + ":" + port + ": " + e.getMessage(), e);
        }
        Logger.info("Embedded MQTT broker listening on {}:{}", HOST, port);
        return new EmbeddedBroker(server, port);
    }

    private static IOException portTaken(int port, Exception cause) {
        return new IOException("embedded MQTT broker: port " + HOST + ":" + port + " is already in use (another broker "
                + "running? stop it, set mqtt.port to a free port, or point mqtt.broker at it)", cause);
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "tcp://" + HOST + ":" + port;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            server.stopServer();
            Logger.info("Embedded MQTT broker on port {} stopped", port);
        }
    }
}
