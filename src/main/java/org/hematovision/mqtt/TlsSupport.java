package org.hematovision.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.hematovision.config.ConfigException;

/** Builds the TLS socket factory of an {@code ssl://} broker from PEM / PKCS12 files named in the config. */
final class TlsSupport {

    private TlsSupport() {
    }

    /**
     * Trusts exactly the CA certificates of {@code mqtt.tls.ca} (or the JDK's defaults when absent) and
     * presents the client certificate when one is configured.
     *
     * @throws ConfigException a file is missing or unreadable, naming the key
     */
    static SSLSocketFactory socketFactory(MqttConfig c) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (c.caFile().isPresent()) {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (Certificate cert : readCertificates("mqtt.tls.ca", c.caFile().get())) {
                    trust.setCertificateEntry("ca-" + i++, cert);
                }
                tmf.init(trust);
            } else {
                tmf.init((KeyStore) null);
            }
            KeyManagerFactory kmf = null;
            if (c.clientCert().isPresent()) {
                char[] pwd = c.clientKeyPassword().orElse("").toCharArray();
                KeyStore keys = clientKeyStore(c.clientCert().get(), c.clientKey(), pwd);
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, pwd);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("mqtt.tls", "cannot set up TLS: " + e.getMessage());
        }
    }

    private static Collection<? extends Certificate> readCertificates(String key, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new ConfigException(key, file + " holds no certificate (allowed: PEM or DER X.509)");
            }
            return certs;
        } catch (IOException e) {
            throw new ConfigException(key, "cannot read " + file + ": " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new ConfigException(key, file + " is not an X.509 certificate file (" + e.getMessage() + ")");
        }
    }

    private static KeyStore clientKeyStore(Path cert, Optional<Path> keyFile, char[] pwd)
            throws GeneralSecurityException, IOException {
        if (MqttConfig.isPkcs12(cert)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(cert)) {
                ks.load(in, pwd);
            } catch (IOException e) {
                throw new ConfigException("mqtt.tls.cert", "cannot open PKCS12 " + cert + " (wrong mqtt.tls.keyPassword?): "
                        + e.getMessage());
            }
            return ks;
        }
        Certificate[] chain = readCertificates("mqtt.tls.cert", cert).toArray(new Certificate[0]);
        PrivateKey key = readPkcs8Key(keyFile.orElseThrow());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", key, pwd, chain);
        return ks;
    }

    private static PrivateKey readPkcs8Key(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigException("mqtt.tls.key", "cannot read " + file + ": " + e.getMessage());
        }
        String begin = "-----BEGIN PRIVATE KEY-----";
        int start = pem.indexOf(begin);
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (start < 0 || end < 0) {
            throw new ConfigException("mqtt.tls.key", file + " is not an unencrypted PKCS8 PEM key (allowed: "
                    + "\"BEGIN PRIVATE KEY\"; convert with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8)");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), end));
        for (String alg : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException ignored) {
                // try the next algorithm
            }
        }
        throw new ConfigException("mqtt.tls.key", file + ": unsupported key type (allowed: RSA, EC, Ed25519)");
    }
}
