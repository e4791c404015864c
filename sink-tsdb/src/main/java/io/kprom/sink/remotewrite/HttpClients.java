package io.kprom.sink.remotewrite;

import io.kprom.common.config.HttpClientConfig;
import io.kprom.common.config.TlsConfig;
import io.kprom.common.http.PemFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.TlsVersion;

/**
 * Builds OkHttp clients and credentials from Prometheus's HTTP client settings ({@code basic_auth},
 * {@code authorization}, {@code tls_config}, {@code proxy_url}, {@code follow_redirects},
 * {@code enable_http2}). Credential files are re-read on each request so rotation needs no restart.
 */
public final class HttpClients {
    private HttpClients() {
    }

    public static OkHttpClient build(HttpClientConfig config, Duration timeout) {
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .callTimeout(timeout)
                .readTimeout(timeout)
                .writeTimeout(timeout)
                .connectTimeout(timeout)
                .followRedirects(config.followRedirects())
                .retryOnConnectionFailure(false);
        if (!config.enableHttp2()) {
            builder.protocols(List.of(Protocol.HTTP_1_1));
        }
        if (config.proxyUrl() != null && !config.proxyUrl().isEmpty()) {
            URI proxy = URI.create(config.proxyUrl());
            int port = proxy.getPort() > 0 ? proxy.getPort() : "https".equals(proxy.getScheme()) ? 443 : 80;
            builder.proxy(new Proxy(Proxy.Type.HTTP, new InetSocketAddress(proxy.getHost(), port)));
        }
        TlsConfig tls = config.tlsConfig() == null ? TlsConfig.DEFAULT : config.tlsConfig();
        try {
            configureTls(builder, tls);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("invalid tls_config: " + e.getMessage(), e);
        }
        return builder.build();
    }

    private static void configureTls(OkHttpClient.Builder builder, TlsConfig tls) throws GeneralSecurityException, IOException {
        boolean custom = tls.caFile() != null || tls.ca() != null || tls.certFile() != null || tls.cert() != null
                || tls.insecureSkipVerify() || tls.serverName() != null || tls.minVersion() != null
                || tls.maxVersion() != null;
        if (!custom) {
            return;
        }
        X509TrustManager trust;
        if (tls.insecureSkipVerify()) {
            trust = new TrustEverything();
            builder.hostnameVerifier((host, session) -> true);
        } else if (tls.caFile() != null || tls.ca() != null) {
            Collection<? extends Certificate> cas = tls.ca() != null ? PemFiles.certificates(tls.ca())
                    : PemFiles.certificates(Path.of(tls.caFile()));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(PemFiles.trustStore(cas));
            trust = (X509TrustManager) factory.getTrustManagers()[0];
        } else {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            trust = (X509TrustManager) factory.getTrustManagers()[0];
        }
        if (tls.serverName() != null && !tls.insecureSkipVerify()) {
            String expected = tls.serverName();
            builder.hostnameVerifier((host, session) ->
                    okhttp3.internal.tls.OkHostnameVerifier.INSTANCE.verify(expected, session));
        }
        KeyManager[] keys = null;
        if (tls.certFile() != null || tls.cert() != null) {
            Collection<? extends Certificate> chain = tls.cert() != null ? PemFiles.certificates(tls.cert())
                    : PemFiles.certificates(Path.of(tls.certFile()));
            var key = tls.key() != null ? PemFiles.privateKey(tls.key()) : PemFiles.privateKey(Path.of(tls.keyFile()));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("client", key, new char[0], chain.toArray(new Certificate[0]));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, new char[0]);
            keys = factory.getKeyManagers();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, new TrustManager[] {trust}, null);
        builder.sslSocketFactory(context.getSocketFactory(), trust);
        if (tls.minVersion() != null || tls.maxVersion() != null) {
            List<TlsVersion> versions = new ArrayList<>();
            String min = tls.minVersion() == null ? "TLS12" : tls.minVersion();
            String max = tls.maxVersion() == null ? "TLS13" : tls.maxVersion();
            for (String v : List.of("TLS10", "TLS11", "TLS12", "TLS13")) {
                if (v.compareTo(min) >= 0 && v.compareTo(max) <= 0) {
                    versions.add(TlsVersion.forJavaName(switch (v) {
                        case "TLS10" -> "TLSv1";
                        case "TLS11" -> "TLSv1.1";
                        case "TLS12" -> "TLSv1.2";
                        default -> "TLSv1.3";
                    }));
                }
            }
            builder.connectionSpecs(List.of(new ConnectionSpec.Builder(ConnectionSpec.MODERN_TLS)
                    .tlsVersions(versions.toArray(new TlsVersion[0])).build(), ConnectionSpec.CLEARTEXT));
        }
    }

    /** The {@code Authorization} header value for the config, or null; reads credential files now. */
    public static String authorizationHeader(HttpClientConfig config) {
        try {
            if (config.basicAuth() != null) {
                HttpClientConfig.BasicAuth basic = config.basicAuth();
                String user = basic.usernameFile() != null ? readSecret(basic.usernameFile()) : basic.username();
                String password = basic.passwordFile() != null ? readSecret(basic.passwordFile())
                        : basic.password() == null ? "" : basic.password();
                return "Basic " + Base64.getEncoder().encodeToString(
                        (user + ":" + password).getBytes(StandardCharsets.UTF_8));
            }
            if (config.authorization() != null) {
                HttpClientConfig.Authorization auth = config.authorization();
                String credentials = auth.credentialsFile() != null ? readSecret(auth.credentialsFile())
                        : auth.credentials() == null ? "" : auth.credentials();
                return auth.type() + " " + credentials;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read credentials file: " + e.getMessage(), e);
        }
        return null;
    }

    private static String readSecret(String file) throws IOException {
        return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
    }

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
