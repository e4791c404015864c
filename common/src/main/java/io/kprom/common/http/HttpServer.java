package io.kprom.common.http;

import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP server every kprom component uses: {@code /metrics} (Prometheus text or OpenMetrics from
 * the default registry, JVM metrics included), {@code /-/healthy}, {@code /-/ready}, plus routes
 * the component adds.
 *
 * <pre>{@code
 * HttpServer server = HttpServer.builder().listenAddress("127.0.0.1:9090")
 *     .route("/api/v1/query", queryHandler)
 *     .readiness(() -> consumer.caughtUp())
 *     .build();
 * server.start();
 * }</pre>
 *
 * With {@link Builder#webConfig} the listener serves HTTPS and/or requires basic auth on every
 * path, as Prometheus does with {@code --web.config.file}.
 *
 * <p>Routes match by exact path, or by prefix when registered with a trailing {@code /*}. Handlers
 * run on Jetty's thread pool and must be thread-safe. Start once, close once.
 */
public final class HttpServer implements AutoCloseable {
    private static final AtomicBoolean JVM_METRICS_REGISTERED = new AtomicBoolean();

    private final Server server;
    private final ServerConnector connector;
    private final boolean tls;

    private HttpServer(Builder builder) {
        QueuedThreadPool threads = new QueuedThreadPool(builder.maxThreads, 2);
        threads.setName("kprom-http");
        server = new Server(threads);
        WebConfig web = builder.webConfig;
        if (web.tls() != null) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(TlsContexts.serverContext(web.tls()));
            ssl.setIncludeProtocols(web.tls().protocols().toArray(new String[0]));
            switch (web.tls().clientAuthType()) {
                case "RequireAnyClientCert", "RequireAndVerifyClientCert" -> ssl.setNeedClientAuth(true);
                case "RequestClientCert", "VerifyClientCertIfGiven" -> ssl.setWantClientAuth(true);
                default -> { }
            }
            HttpConfiguration httpConfig = new HttpConfiguration();
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // Clients reach us by IP or any name; Prometheus does not check SNI against the certificate either.
            secure.setSniHostCheck(false);
            httpConfig.addCustomizer(secure);
            connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(httpConfig));
        } else {
            connector = new ServerConnector(server, 1, 1);
        }
        connector.setHost(builder.host);
        connector.setPort(builder.port);
        server.addConnector(connector);
        Map<String, Handler> exact = new LinkedHashMap<>(builder.routes);
        BooleanSupplier readiness = builder.readiness;
        PrometheusRegistry registry = builder.registry;
        exact.putIfAbsent("/metrics", new MetricsHandler(registry));
        exact.putIfAbsent("/-/healthy", textHandler(() -> true, "Healthy.\n", "Unhealthy.\n"));
        exact.putIfAbsent("/-/ready", textHandler(readiness, "Ready.\n", "Service Unavailable\n"));
        Handler handler = new Router(exact);
        if (!web.headers().isEmpty()) {
            handler = new HeadersHandler(web.headers(), handler);
        }
        if (!web.basicAuthUsers().isEmpty()) {
            handler = new BasicAuthHandler(web.basicAuthUsers(), handler);
        }
        server.setHandler(handler);
        tls = web.tls() != null;
        server.setStopTimeout(builder.stopTimeout.toMillis());
    }

    public static Builder builder() {
        return new Builder();
    }

    public HttpServer start() throws Exception {
        server.start();
        return this;
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** Whether the listener speaks HTTPS (a {@code tls_server_config} was given). */
    public boolean tls() {
        return tls;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost() == null ? "0.0.0.0" : connector.getHost(), port());
    }

    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } catch (java.util.concurrent.TimeoutException e) {
            // Graceful stop waited for idle keep-alive connections (e.g. Grafana's); Jetty has closed them anyway.
        }
    }

    /** Sends a complete response body with a content type and status. */
    public static void send(Response response, Callback callback, int status, String contentType, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    public static void sendText(Response response, Callback callback, int status, String text) {
        send(response, callback, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    private static Handler textHandler(BooleanSupplier ok, String okText, String failText) {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                boolean good = ok.getAsBoolean();
                sendText(response, callback, good ? 200 : 503, good ? okText : failText);
                return true;
            }
        };
    }

    private static final class Router extends Handler.Abstract {
        private final Map<String, Handler> exact = new LinkedHashMap<>();
        private final Map<String, Handler> prefix = new LinkedHashMap<>();

        Router(Map<String, Handler> routes) {
            routes.forEach((path, handler) -> {
                if (path.endsWith("/*")) {
                    prefix.put(path.substring(0, path.length() - 1), handler);
                } else {
                    exact.put(path, handler);
                }
            });
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String path = Request.getPathInContext(request);
            Handler handler = exact.get(path);
            if (handler == null) {
                for (Map.Entry<String, Handler> entry : prefix.entrySet()) {
                    if (path.startsWith(entry.getKey())) {
                        handler = entry.getValue();
                        break;
                    }
                }
            }
            if (handler == null) {
                sendText(response, callback, 404, "404 page not found\n");
                return true;
            }
            return handler.handle(request, response, callback);
        }

        @Override
        protected void doStart() throws Exception {
            for (Handler handler : exact.values()) {
                handler.setServer(getServer());
            }
            for (Handler handler : prefix.values()) {
                handler.setServer(getServer());
            }
            super.doStart();
        }
    }

    /** Adds {@code http_server_config.headers} to every response. */
    private static final class HeadersHandler extends Handler.Wrapper {
        private final Map<String, String> headers;

        HeadersHandler(Map<String, String> headers, Handler next) {
            super(next);
            this.headers = headers;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            headers.forEach((name, value) -> response.getHeaders().put(name, value));
            return super.handle(request, response, callback);
        }
    }

    private static final class MetricsHandler extends Handler.Abstract {
        private final PrometheusRegistry registry;
        private final ExpositionFormats formats = ExpositionFormats.init();

        MetricsHandler(PrometheusRegistry registry) {
            this.registry = registry;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws IOException {
            String accept = request.getHeaders().get(HttpHeader.ACCEPT);
            var writer = formats.findWriter(accept);
            ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
            writer.write(out, registry.scrape());
            send(response, callback, 200, writer.getContentType(), out.toByteArray());
            return true;
        }
    }

    /** Builder; not thread-safe. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 9090;
        private int maxThreads = 32;
        private final Map<String, Handler> routes = new LinkedHashMap<>();
        private BooleanSupplier readiness = () -> true;
        private PrometheusRegistry registry = PrometheusRegistry.defaultRegistry;
        private WebConfig webConfig = WebConfig.NONE;
        private java.time.Duration stopTimeout = java.time.Duration.ofSeconds(2);

        /** {@code host:port}, {@code :port} (all interfaces) or {@code [::1]:port}. */
        public Builder listenAddress(String address) {
            int colon = address.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("listen address needs host:port, got '" + address + "'");
            }
            String h = address.substring(0, colon);
            if (h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            }
            host = h.isEmpty() ? null : h;
            port = Integer.parseInt(address.substring(colon + 1));
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder maxThreads(int maxThreads) {
            this.maxThreads = maxThreads;
            return this;
        }

        /** Adds a route; a path ending in {@code /*} matches by prefix. */
        public Builder route(String path, Handler handler) {
            routes.put(path, handler);
            return this;
        }

        public Builder readiness(BooleanSupplier readiness) {
            this.readiness = readiness;
            return this;
        }

        public Builder registry(PrometheusRegistry registry) {
            this.registry = registry;
            return this;
        }

        /**
         * How long {@link HttpServer#close()} lets in-flight requests finish (default 2s); idle
         * keep-alive connections are closed within it. Zero stops at once (tests).
         */
        public Builder stopTimeout(java.time.Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("stop timeout must be >= 0, got " + timeout);
            }
            this.stopTimeout = timeout;
            return this;
        }

        /** TLS and basic auth settings (Prometheus's {@code --web.config.file}); default none. */
        public Builder webConfig(WebConfig webConfig) {
            this.webConfig = webConfig == null ? WebConfig.NONE : webConfig;
            return this;
        }

        /** Loads {@code --web.config.file}; null leaves the server plain and open. */
        public Builder webConfigFile(java.nio.file.Path file) {
            return webConfig(file == null ? WebConfig.NONE : WebConfig.load(file));
        }

        public HttpServer build() {
            if (registry == PrometheusRegistry.defaultRegistry && JVM_METRICS_REGISTERED.compareAndSet(false, true)) {
                JvmMetrics.builder().register();
            }
            return new HttpServer(this);
        }
    }
}
