package io.kprom.evaluator;

import io.kprom.common.config.AlertingConfig;
import io.kprom.common.config.HttpClientConfig;
import io.kprom.common.config.TargetGroup;
import io.kprom.common.config.TlsConfig;
import io.kprom.common.labels.Labels;
import io.kprom.common.relabel.Relabeler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * One Alertmanager to notify: its {@code /api/v2/alerts} URL, timeout, HTTP client (TLS) and
 * {@code Authorization} header. Built from {@code alerting.alertmanagers} static configs, with the
 * entry's {@code relabel_configs} applied to {@code __address__}, {@code __scheme__} and
 * {@code __alerts_path__} as Prometheus does. Immutable; credentials files are re-read per request.
 */
record AlertmanagerEndpoint(URI url, Duration timeout, HttpClient client, Supplier<String> authorization) {

    static List<AlertmanagerEndpoint> fromConfig(AlertingConfig alerting) throws IOException, GeneralSecurityException {
        List<AlertmanagerEndpoint> endpoints = new ArrayList<>();
        for (AlertingConfig.AlertmanagerConfig config : alerting.alertmanagers()) {
            HttpClient client = client(config.httpClientConfig(), config.timeout());
            Supplier<String> authorization = authorization(config.httpClientConfig());
            String path = trimSlash(config.pathPrefix()) + "/api/v2/alerts";
            for (TargetGroup group : config.staticConfigs()) {
                for (String target : group.targets()) {
                    Labels labels = group.labels().toBuilder().set("__address__", target)
                            .set("__scheme__", config.scheme()).set("__alerts_path__", path).build();
                    Labels relabeled = Relabeler.process(labels, config.relabelConfigs());
                    if (relabeled == null) {
                        continue;
                    }
                    URI url = URI.create(relabeled.get("__scheme__") + "://" + relabeled.get("__address__")
                            + relabeled.getOrEmpty("__alerts_path__"));
                    endpoints.add(new AlertmanagerEndpoint(url, config.timeout(), client, authorization));
                }
            }
        }
        return endpoints;
    }

    private static String trimSlash(String prefix) {
        String p = prefix == null ? "" : prefix;
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() || p.startsWith("/") ? p : "/" + p;
    }

    private static HttpClient client(HttpClientConfig http, Duration timeout) throws IOException, GeneralSecurityException {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(http.followRedirects() ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER);
        TlsConfig tls = http.tlsConfig();
        if (tls != null && (tls.insecureSkipVerify() || tls.caFile() != null || tls.ca() != null)) {
            SSLContext context = SSLContext.getInstance("TLS");
            TrustManager[] trust = tls.insecureSkipVerify() ? new TrustManager[] {new TrustAll()}
                    : trustManagers(tls.caFile() != null ? Files.readString(Path.of(tls.caFile())) : tls.ca());
            context.init(null, trust, new SecureRandom());
            builder.sslContext(context);
        }
        return builder.build();
    }

    private static TrustManager[] trustManagers(String pem) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        int index = 0;
        try (InputStream in = new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8))) {
            for (Certificate certificate : factory.generateCertificates(in)) {
                store.setCertificateEntry("ca" + index++, certificate);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        return tmf.getTrustManagers();
    }

    private static Supplier<String> authorization(HttpClientConfig http) {
        if (http.basicAuth() != null) {
            HttpClientConfig.BasicAuth basic = http.basicAuth();
            return () -> {
                String user = basic.usernameFile() != null ? read(basic.usernameFile()) : basic.username();
                String password = basic.passwordFile() != null ? read(basic.passwordFile())
                        : basic.password() == null ? "" : basic.password();
                return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                        .getBytes(StandardCharsets.UTF_8));
            };
        }
        if (http.authorization() != null) {
            HttpClientConfig.Authorization auth = http.authorization();
            String type = auth.type() == null || auth.type().isEmpty() ? "Bearer" : auth.type();
            return () -> type + " " + (auth.credentialsFile() != null ? read(auth.credentialsFile())
                    : auth.credentials() == null ? "" : auth.credentials());
        }
        return () -> null;
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read credentials file " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code insecure_skip_verify: true}. */
    private static final class TrustAll implements X509TrustManager {
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
