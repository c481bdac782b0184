package org.hematovision.mqtt;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.hematovision.config.ConfigException;

/**
 * The {@code mqtt.*} configuration section, validated once here.
 *
 * @param broker          {@code embedded} (in-process Moquette on 127.0.0.1) or {@code tcp://host:port} /
 *                        {@code ssl://host:port}
 * @param embeddedPort    port of the embedded broker (only with {@code broker=embedded})
 * @param deviceId        device id, also the MQTT client id; topic-safe characters only
 * @param topicPrefix     first topic level
 * @param username        optional user name
 * @param password        optional password; never logged ({@link #toString()} masks it)
 * @param caFile          PEM file of the CA(s) that sign the broker certificate ({@code ssl://} only)
 * @param clientCert      client certificate: PEM file, or a PKCS12 file ({@code .p12}/{@code .pfx}) that also
 *                        holds the key
 * @param clientKey       PEM private key (PKCS8) of the client certificate; absent for PKCS12
 * @param clientKeyPassword password of the PKCS12 file; never logged
 * @param keepAlive       MQTT keepalive
 * @param outboxDir       directory of the durable outbox
 * @param outboxMaxBytes  disk budget of the outbox
 * @param backoffMin      first reconnect delay
 * @param backoffMax      reconnect delay cap
 */
public record MqttConfig(String broker, int embeddedPort, String deviceId, String topicPrefix,
                         Optional<String> username, Optional<String> password,
                         Optional<Path> caFile, Optional<Path> clientCert, Optional<Path> clientKey,
                         Optional<String> clientKeyPassword,
                         Duration keepAlive, Path outboxDir, long outboxMaxBytes,
                         Duration backoffMin, Duration backoffMax) {

    public static final String EMBEDDED = "embedded";
    public static final String DEFAULT_BROKER = EMBEDDED;
    public static final int DEFAULT_EMBEDDED_PORT = 1883;
    public static final String DEFAULT_DEVICE_ID = "hv-edge-1";
    public static final String DEFAULT_TOPIC_PREFIX = "hematovision";
    public static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(30);
    public static final Path DEFAULT_OUTBOX_DIR = Path.of("var", "outbox");
    public static final long DEFAULT_OUTBOX_MAX_BYTES = 64L * 1024 * 1024;
    /** Below this the outbox cannot hold a handful of summaries. */
    public static final long MIN_OUTBOX_MAX_BYTES = 16 * 1024;
    /**
     * The outbox keeps every pending message in the heap as well as on disk (replayed from memory), and
     * the service runs with {@code -Xmx256m}: 64 MiB of backlog fits beside the pipeline, more would not.
     */
    public static final long MAX_OUTBOX_MAX_BYTES = 64L * 1024 * 1024;
    public static final Duration DEFAULT_BACKOFF_MIN = Duration.ofMillis(500);
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(60);

    /** Keys of this section, as in the configuration file. */
    public static final Set<String> KEYS = Set.of("mqtt.broker", "mqtt.port", "mqtt.deviceId", "mqtt.topicPrefix",
            "mqtt.username", "mqtt.password", "mqtt.tls.ca", "mqtt.tls.cert", "mqtt.tls.key", "mqtt.tls.keyPassword",
            "mqtt.keepAliveSeconds", "mqtt.outbox.dir", "mqtt.outbox.maxBytes", "mqtt.backoff.minMillis",
            "mqtt.backoff.maxMillis");

    /** A host name (letters, digits, '-' between them, '.'-separated; no '_', which Java's URI refuses), IPv4 or [IPv6]. */
    private static final Pattern BROKER_URI = Pattern.compile(
            "(tcp|ssl)://([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]+\\])"
                    + ":(?<port>\\d{1,5})");
    // MQTT wildcards and separators would let a device id publish into another device's topics.
    private static final Pattern TOPIC_SAFE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern PREFIX_SAFE = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");

    public MqttConfig {
        java.util.regex.Matcher uri = broker == null ? null : BROKER_URI.matcher(broker);
        if (broker == null || !(broker.equals(EMBEDDED) || uri.matches())) {
            throw new ConfigException("mqtt.broker", "\"" + broker + "\" is not allowed (allowed: embedded, tcp://host:port, "
                    + "ssl://host:port; a host name holds letters, digits, '-' and '.', not '_')");
        }
        if (!broker.equals(EMBEDDED)) {
            ConfigException.requireRange("mqtt.broker", Integer.parseInt(uri.group("port")), 1, 65535);
        }
        ConfigException.requireRange("mqtt.port", embeddedPort, 1, 65535);
        requirePattern("mqtt.deviceId", deviceId, TOPIC_SAFE, "1-64 of A-Z a-z 0-9 . _ -");
        requirePattern("mqtt.topicPrefix", topicPrefix, PREFIX_SAFE, "levels of A-Z a-z 0-9 . _ - separated by /");
        username = username.filter(s -> !s.isEmpty());
        password = password.filter(s -> !s.isEmpty());
        if (password.isPresent() && username.isEmpty()) {
            throw new ConfigException("mqtt.password", "is set without mqtt.username (allowed: both or neither)");
        }
        boolean ssl = broker.startsWith("ssl://");
        for (var e : Map.of("mqtt.tls.ca", caFile, "mqtt.tls.cert", clientCert, "mqtt.tls.key", clientKey).entrySet()) {
            if (e.getValue().isPresent() && !ssl) {
                throw new ConfigException(e.getKey(), "is only allowed with an ssl:// broker (mqtt.broker=" + broker + ")");
            }
        }
        if (clientKey.isPresent() && clientCert.isEmpty()) {
            throw new ConfigException("mqtt.tls.key", "is set without mqtt.tls.cert (allowed: both, or a PKCS12 cert alone)");
        }
        if (clientCert.isPresent() && clientKey.isEmpty() && !isPkcs12(clientCert.get())) {
            throw new ConfigException("mqtt.tls.cert", "a PEM certificate needs mqtt.tls.key (allowed: PEM cert + key, or a .p12/.pfx file)");
        }
        if (keepAlive.isNegative() || keepAlive.toSeconds() > 65535) {
            throw new ConfigException("mqtt.keepAliveSeconds", keepAlive.toSeconds() + " is out of range (allowed: 0..65535)");
        }
        if (outboxMaxBytes < MIN_OUTBOX_MAX_BYTES || outboxMaxBytes > MAX_OUTBOX_MAX_BYTES) {
            throw new ConfigException("mqtt.outbox.maxBytes", outboxMaxBytes + " is out of range (allowed: "
                    + MIN_OUTBOX_MAX_BYTES + ".." + MAX_OUTBOX_MAX_BYTES + " bytes; the pending messages are also "
                    + "held in the service's 256 MB heap)");
        }
        if (backoffMin.toMillis() < 1) {
            throw new ConfigException("mqtt.backoff.minMillis", backoffMin.toMillis() + " is out of range (allowed: >= 1)");
        }
        if (backoffMax.compareTo(backoffMin) < 0) {
            throw new ConfigException("mqtt.backoff.maxMillis",
                    backoffMax.toMillis() + " is below mqtt.backoff.minMillis=" + backoffMin.toMillis());
        }
    }

    /** Defaults: embedded broker, outbox under {@code outboxDir}. */
    public static MqttConfig defaults(Path outboxDir) {
        return new MqttConfig(DEFAULT_BROKER, DEFAULT_EMBEDDED_PORT, DEFAULT_DEVICE_ID, DEFAULT_TOPIC_PREFIX,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), DEFAULT_KEEPALIVE, outboxDir, DEFAULT_OUTBOX_MAX_BYTES, DEFAULT_BACKOFF_MIN,
                DEFAULT_BACKOFF_MAX);
    }

    /**
     * Reads the {@code mqtt.*} keys of a flat key/value configuration; keys of other sections are
     * ignored, an unknown {@code mqtt.} key is refused.
     */
    public static MqttConfig fromProperties(Map<String, String> p) {
        for (String k : p.keySet()) {
            if (k.startsWith("mqtt.") && !KEYS.contains(k)) {
                throw new ConfigException(k, "unknown key (allowed: " + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
            }
        }
        return new MqttConfig(
                p.getOrDefault("mqtt.broker", DEFAULT_BROKER),
                port(number(p, "mqtt.port", DEFAULT_EMBEDDED_PORT)),
                p.getOrDefault("mqtt.deviceId", DEFAULT_DEVICE_ID),
                p.getOrDefault("mqtt.topicPrefix", DEFAULT_TOPIC_PREFIX),
                Optional.ofNullable(p.get("mqtt.username")),
                Optional.ofNullable(p.get("mqtt.password")),
                Optional.ofNullable(p.get("mqtt.tls.ca")).map(Path::of),
                Optional.ofNullable(p.get("mqtt.tls.cert")).map(Path::of),
                Optional.ofNullable(p.get("mqtt.tls.key")).map(Path::of),
                Optional.ofNullable(p.get("mqtt.tls.keyPassword")),
                Duration.ofSeconds(number(p, "mqtt.keepAliveSeconds", DEFAULT_KEEPALIVE.toSeconds())),
                Path.of(p.getOrDefault("mqtt.outbox.dir", DEFAULT_OUTBOX_DIR.toString())),
                number(p, "mqtt.outbox.maxBytes", DEFAULT_OUTBOX_MAX_BYTES),
                Duration.ofMillis(number(p, "mqtt.backoff.minMillis", DEFAULT_BACKOFF_MIN.toMillis())),
                Duration.ofMillis(number(p, "mqtt.backoff.maxMillis", DEFAULT_BACKOFF_MAX.toMillis())));
    }

    public boolean embedded() {
        return broker.equals(EMBEDDED);
    }

    /** The URI the client connects to. */
    public String serverUri() {
        return embedded() ? "tcp://127.0.0.1:" + embeddedPort : broker;
    }

    /** {@code <prefix>/<deviceId>/<leaf>}. */
    public String topic(String leaf) {
        return topicPrefix + "/" + deviceId + "/" + leaf;
    }

    static boolean isPkcs12(Path p) {
        String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".p12") || n.endsWith(".pfx");
    }

    /** Checked before the cast, so that 2^32 + 1883 is not read as 1883. */
    private static int port(long port) {
        if (port < 1 || port > 65535) {
            throw new ConfigException("mqtt.port", port + " is out of range (allowed: 1..65535)");
        }
        return (int) port;
    }

    private static long number(Map<String, String> p, String key, long dflt) {
        String v = p.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "\"" + v + "\" is not a whole number");
        }
    }

    private static void requirePattern(String key, String value, Pattern p, String allowed) {
        if (value == null || !p.matcher(value).matches()) {
            throw new ConfigException(key, "\"" + value + "\" is not allowed (allowed: " + allowed + ")");
        }
    }

    @Override
    public String toString() {
        return "MqttConfig[broker=" + broker + (embedded() ? ", port=" + embeddedPort : "") + ", deviceId=" + deviceId
                + ", topicPrefix=" + topicPrefix + ", username=" + username.orElse("-")
                + ", password=" + (password.isPresent() ? "***" : "-") + ", ca=" + caFile.map(Path::toString).orElse("-")
                + ", cert=" + clientCert.map(Path::toString).orElse("-") + ", keepAlive=" + keepAlive.toSeconds() + "s"
                + ", outbox=" + outboxDir + " (max " + outboxMaxBytes + " B), backoff=" + backoffMin.toMillis() + ".."
                + backoffMax.toMillis() + " ms]";
    }
}
