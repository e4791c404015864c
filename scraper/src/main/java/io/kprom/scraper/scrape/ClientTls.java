package io.kprom.scraper.scrape;

import io.kprom.common.config.TlsConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Builds the client side of a {@code tls_config}: CA trust, client certificate, or no verification (SNI and hostname checks are {@link HttpClients}'). */
final class ClientTls {
    private static final char[] NO_PASSWORD = new char[0];

    record Context(SSLContext sslContext, X509TrustManager trustManager) {
    }

    private ClientTls() {
    }

    /** Null when the config asks for nothing beyond the JVM defaults. */
    static Context context(TlsConfig tls) throws GeneralSecurityException, IOException {
        boolean hasCa = tls.caFile() != null || tls.ca() != null;
        boolean hasCert = tls.certFile() != null || tls.cert() != null;
        boolean hasServerName = tls.serverName() != null && !tls.serverName().isEmpty();
        if (!hasCa && !hasCert && !tls.insecureSkipVerify() && tls.minVersion() == null && !hasServerName) {
            return null;
        }
        X509TrustManager trust;
        if (tls.insecureSkipVerify()) {
            trust = new TrustEverything();
        } else {
            KeyStore trustStore = null;
            if (hasCa) {
                trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
                trustStore.load(null, null);
                int i = 0;
                for (Certificate certificate : certificates(pem(tls.caFile(), tls.ca()))) {
                    trustStore.setCertificateEntry("ca-" + i++, certificate);
                }
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trustStore);
            trust = (X509TrustManager) factory.getTrustManagers()[0];
        }
        KeyManager[] keyManagers = null;
        if (hasCert) {
            KeyStore keyStore = KeyStore.getInstance(KeyStore.getDefaultType());
            keyStore.load(null, null);
            Collection<? extends Certificate> chain = certificates(pem(tls.certFile(), tls.cert()));
            keyStore.setKeyEntry("client", privateKey(pem(tls.keyFile(), tls.key())), NO_PASSWORD,
                    chain.toArray(new Certificate[0]));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keyStore, NO_PASSWORD);
            keyManagers = factory.getKeyManagers();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers, new TrustManager[] {trust}, null);
        return new Context(context, trust);
    }

    private static String pem(String file, String inline) throws IOException {
        return file != null ? Files.readString(Path.of(file), StandardCharsets.UTF_8) : inline;
    }

    private static Collection<? extends Certificate> certificates(String pem) throws GeneralSecurityException {
        InputStream in = new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
        return CertificateFactory.getInstance("X.509").generateCertificates(in);
    }

    private static PrivateKey privateKey(String pem) throws IOException {
        try (Reader reader = new StringReader(pem); PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IOException("no private key found in PEM data");
        }
    }

    /** insecure_skip_verify: accept any server certificate. */
    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
