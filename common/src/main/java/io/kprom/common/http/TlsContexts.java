package io.kprom.common.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Builds JSSE SSL contexts from PEM files, the way Go's crypto/tls reads them. Stateless. */
final class TlsContexts {
    private static final char[] NO_PASSWORD = new char[0];

    private TlsContexts() {
    }

    /** A server context presenting the configured certificate and checking client certs per client_auth_type. */
    static SSLContext serverContext(WebConfig.TlsServerConfig tls) {
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            Certificate[] chain = readCertificates(tls.certFile()).toArray(new Certificate[0]);
            if (chain.length == 0) {
                throw new IllegalArgumentException("no certificate in cert_file " + tls.certFile());
            }
            keyStore.setKeyEntry("server", readPrivateKey(tls.keyFile()), NO_PASSWORD, chain);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, NO_PASSWORD);
            TrustManager[] trust = switch (tls.clientAuthType()) {
                case "VerifyClientCertIfGiven", "RequireAndVerifyClientCert" -> trustManagers(tls.clientCaFile());
                // Go's RequestClientCert/RequireAnyClientCert take any certificate without verifying it.
                default -> new TrustManager[] {new AcceptAnyClientCertificate()};
            };
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot set up TLS from " + tls.certFile() + " and " + tls.keyFile()
                    + ": " + e.getMessage(), e);
        }
    }

    static TrustManager[] trustManagers(Path caFile) throws GeneralSecurityException, IOException {
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        int i = 0;
        for (Certificate certificate : readCertificates(caFile)) {
            trustStore.setCertificateEntry("ca-" + i++, certificate);
        }
        if (i == 0) {
            throw new IllegalArgumentException("no certificate in CA file " + caFile);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trustStore);
        return factory.getTrustManagers();
    }

    static Collection<? extends Certificate> readCertificates(Path file) throws GeneralSecurityException, IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
    }

    /** Reads a PEM private key: PKCS#8 ("PRIVATE KEY"), PKCS#1 RSA or SEC1 EC key pairs. */
    static PrivateKey readPrivateKey(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file); PEMParser parser = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
        }
        throw new IllegalArgumentException("no unencrypted PEM private key in " + file);
    }

    private static final class AcceptAnyClientCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("server certificates are not checked by a server context");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
