package io.kprom.common.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
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
import java.util.Collection;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * PEM certificates and private keys as Go's crypto/tls reads them (PKCS#8, PKCS#1 RSA, SEC1 EC),
 * for servers ({@code --web.config.file}) and clients ({@code tls_config}). Stateless.
 */
public final class PemFiles {
    private PemFiles() {
    }

    public static Collection<? extends Certificate> certificates(String pem) throws GeneralSecurityException {
        return CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    public static Collection<? extends Certificate> certificates(Path file) throws GeneralSecurityException, IOException {
        return certificates(Files.readString(file, StandardCharsets.US_ASCII));
    }

    public static PrivateKey privateKey(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            return privateKey(reader, file.toString());
        }
    }

    public static PrivateKey privateKey(String pem) throws IOException {
        return privateKey(new StringReader(pem), "inline key");
    }

    private static PrivateKey privateKey(Reader reader, String source) throws IOException {
        try (PEMParser parser = new PEMParser(reader)) {
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
        throw new IllegalArgumentException("no unencrypted PEM private key in " + source);
    }

    /** A PKCS#12 trust store holding every certificate of the PEM text. */
    public static KeyStore trustStore(Collection<? extends Certificate> certificates) throws GeneralSecurityException, IOException {
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        int i = 0;
        for (Certificate certificate : certificates) {
            trustStore.setCertificateEntry("ca-" + i++, certificate);
        }
        if (i == 0) {
            throw new IllegalArgumentException("no certificate found in the CA PEM data");
        }
        return trustStore;
    }
}
