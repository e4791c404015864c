package io.kprom.scraper.scrape;

import io.kprom.common.config.HttpClientConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import okhttp3.ConnectionPool;
import okhttp3.Credentials;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.internal.tls.OkHostnameVerifier;

/**
 * The one OkHttp client all scrapes share (one connection pool, one dispatcher); per scrape config it
 * derives a client with that config's TLS ({@code server_name} for SNI and hostname verification,
 * {@code insecure_skip_verify}), proxy ({@code proxy_url} with {@code no_proxy}, or
 * {@code proxy_from_environment}; {@code proxy_connect_header} and the proxy URL's credentials sent with
 * {@code CONNECT}), redirects and auth. Credentials given as files are
 * re-read on every request, so rotated secrets apply without a reload. Thread-safe.
 */
public final class HttpClients implements AutoCloseable {
    private final OkHttpClient base;
    private final Map<String, String> environment;

    public HttpClients() {
        this(System.getenv());
    }

    /** @param environment where {@code proxy_from_environment} reads HTTP_PROXY, HTTPS_PROXY and NO_PROXY */
    public HttpClients(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        base = new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(64, 5, TimeUnit.MINUTES))
                .dispatcher(new Dispatcher())
                .retryOnConnectionFailure(false)
                .build();
    }

    /** A client for one {@code scrape_config} (or remote endpoint) sharing the base pool. */
    public OkHttpClient forConfig(HttpClientConfig config) throws IOException {
        OkHttpClient.Builder builder = base.newBuilder()
                .followRedirects(config.followRedirects())
                .followSslRedirects(config.followRedirects());
        try {
            ClientTls.Context tls = ClientTls.context(config.tlsConfig());
            if (tls != null) {
                String serverName = config.tlsConfig().serverName();
                SSLSocketFactory sockets = tls.sslContext().getSocketFactory();
                if (serverName != null && !serverName.isEmpty()) {
                    sockets = new ServerNameSocketFactory(sockets, serverName);
                }
                builder.sslSocketFactory(sockets, tls.trustManager());
                if (config.tlsConfig().insecureSkipVerify()) {
                    builder.hostnameVerifier((host, session) -> true);
                } else if (serverName != null && !serverName.isEmpty()) {
                    builder.hostnameVerifier((host, session) -> OkHostnameVerifier.INSTANCE.verify(serverName, session));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("invalid tls_config: " + e.getMessage(), e);
        }
        ProxyRouting proxies;
        try {
            proxies = ProxyRouting.of(config, environment);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid proxy URL: " + e.getMessage(), e);
        }
        if (proxies != null) {
            builder.proxySelector(proxies);
            Map<String, List<String>> connectHeaders = config.proxyConnectHeaders();
            builder.proxyAuthenticator((route, response) -> {
                String userInfo = proxies.userInfo(response.request().url().uri());
                String basic = null;
                if (userInfo != null) {
                    String[] parts = userInfo.split(":", 2);
                    basic = Credentials.basic(parts[0], parts.length > 1 ? parts[1] : "");
                }
                // OkHttp asks before each CONNECT ("preemptive") and again on a 407 challenge.
                boolean preemptive = "OkHttp-Preemptive".equals(response.header("Proxy-Authenticate"));
                if (!preemptive) {
                    if (basic == null || response.request().header("Proxy-Authorization") != null) {
                        return null; // Nothing to offer, or the credentials were refused: do not loop.
                    }
                    return response.request().newBuilder().header("Proxy-Authorization", basic).build();
                }
                if (connectHeaders.isEmpty() && basic == null) {
                    return null;
                }
                Request.Builder request = response.request().newBuilder();
                connectHeaders.forEach((name, values) -> {
                    request.removeHeader(name);
                    values.forEach(value -> request.addHeader(name, value));
                });
                if (basic != null) {
                    request.header("Proxy-Authorization", basic);
                }
                return request.build();
            });
        }
        return builder.build();
    }

    /** Adds the config's {@code Authorization} header and {@code http_headers}, reading credential files now. */
    public static void authorize(Request.Builder request, HttpClientConfig config) throws IOException {
        config.httpHeaders().forEach(request::header);
        HttpClientConfig.BasicAuth basic = config.basicAuth();
        if (basic != null) {
            String user = basic.usernameFile() != null ? readSecret(basic.usernameFile()) : basic.username();
            String password = basic.passwordFile() != null ? readSecret(basic.passwordFile())
                    : basic.password() == null ? "" : basic.password();
            String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            request.header("Authorization", "Basic " + token);
        }
        HttpClientConfig.Authorization authorization = config.authorization();
        if (authorization != null) {
            String credentials = authorization.credentialsFile() != null ? readSecret(authorization.credentialsFile())
                    : authorization.credentials() == null ? "" : authorization.credentials();
            request.header("Authorization", authorization.type() + " " + credentials);
        }
    }

    private static String readSecret(String file) throws IOException {
        return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
    }

    @Override
    public void close() {
        base.dispatcher().executorService().shutdown();
        base.connectionPool().evictAll();
    }
}
