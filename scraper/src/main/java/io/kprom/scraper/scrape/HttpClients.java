package io.kprom.scraper.scrape;

import io.kprom.common.config.HttpClientConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Credentials;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.internal.tls.OkHostnameVerifier;

/**
 * The one OkHttp client all scrapes share (one connection pool, one dispatcher); per scrape config it
 * derives a client with that config's TLS, proxy, redirects and auth. Credentials given as files are
 * re-read on every request, so rotated secrets apply without a reload. Thread-safe.
 */
public final class HttpClients implements AutoCloseable {
    private final OkHttpClient base;

    public HttpClients() {
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
                builder.sslSocketFactory(tls.sslContext().getSocketFactory(), tls.trustManager());
                if (config.tlsConfig().insecureSkipVerify()) {
                    builder.hostnameVerifier((host, session) -> true);
                } else if (config.tlsConfig().serverName() != null) {
                    String serverName = config.tlsConfig().serverName();
                    builder.hostnameVerifier((host, session) -> OkHostnameVerifier.INSTANCE.verify(serverName, session));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("invalid tls_config: " + e.getMessage(), e);
        }
        if (config.proxyUrl() != null && !config.proxyUrl().isEmpty()) {
            URI proxy = URI.create(config.proxyUrl());
            int port = proxy.getPort() > 0 ? proxy.getPort() : ("https".equals(proxy.getScheme()) ? 443 : 80);
            builder.proxy(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(proxy.getHost(), port)));
            if (proxy.getUserInfo() != null) {
                String[] userInfo = proxy.getUserInfo().split(":", 2);
                String credential = Credentials.basic(userInfo[0], userInfo.length > 1 ? userInfo[1] : "");
                builder.proxyAuthenticator((route, response) -> response.request().newBuilder()
                        .header("Proxy-Authorization", credential).build());
            }
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
