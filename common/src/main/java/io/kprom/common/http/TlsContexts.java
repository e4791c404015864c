package io.kprom.common.http;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

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
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(PemFiles.trustStore(PemFiles.certificates(caFile)));
        return factory.getTrustManagers();
    }

    static Collection<? extends Certificate> readCertificates(Path file) throws GeneralSecurityException, IOException {
        return PemFiles.certificates(file);
    }

    static PrivateKey readPrivateKey(Path file) throws IOException {
        return PemFiles.privateKey(file);
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
