package org.hematovision.mqtt;

import javax.net.ssl.SSLSocketFactory;

/** TLS set-up of an {@code ssl://} broker from the {@code mqtt.tls.*} keys, for other MQTT clients (the dashboard). */
public final class MqttTls {

    private MqttTls() {
    }

    /**
     * @throws org.hematovision.config.ConfigException a file is missing or unreadable, naming the key
     */
    public static SSLSocketFactory socketFactory(MqttConfig config) {
        return TlsSupport.socketFactory(config);
    }
}
