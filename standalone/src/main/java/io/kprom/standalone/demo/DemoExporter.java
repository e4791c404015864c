package io.kprom.standalone.demo;

import io.kprom.common.http.HttpServer;
import io.kprom.common.lifecycle.Component;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A built-in exporter that looks like a busy HTTP service, so the seed's recording and alerting
 * rules have realistic data out of the box: {@code http_requests_total{method,handler,status}},
 * a {@code http_request_duration_seconds} histogram, in-flight requests, and short bursts of 5xx
 * errors every few minutes. Traffic is simulated by a background thread with a fixed seed.
 *
 * <pre>{@code
 * DemoExporter demo = new DemoExporter("127.0.0.1:9101");
 * demo.start();   // http://127.0.0.1:9101/metrics
 * }</pre>
 *
 * Owns its own registry (not the process's default one) and its own HTTP listener.
 */
public final class DemoExporter implements Component {
    private record Endpoint(String method, String handler, double requestsPerSecond, double medianSeconds) {
    }

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("GET", "/api/products", 40, 0.030),
            new Endpoint("GET", "/api/products/{id}", 25, 0.015),
            new Endpoint("POST", "/api/cart", 8, 0.060),
            new Endpoint("POST", "/api/checkout", 2, 0.250),
            new Endpoint("GET", "/healthz", 1, 0.002));
    private static final double TICK_SECONDS = 0.5;

    private final String listenAddress;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Histogram duration;
    private final Gauge inFlight;
    private final SplittableRandom random = new SplittableRandom(42);
    private ScheduledExecutorService traffic;
    private HttpServer server;
    private long ticks;

    public DemoExporter(String listenAddress) {
        this.listenAddress = listenAddress;
        requests = Counter.builder().name("http_requests_total").help("HTTP requests served, by method, handler and status.")
                .labelNames("method", "handler", "status").register(registry);
        duration = Histogram.builder().name("http_request_duration_seconds").help("HTTP request latency.")
                .labelNames("method", "handler")
                .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .register(registry);
        inFlight = Gauge.builder().name("http_requests_in_flight").help("Requests being served.").register(registry);
    }

    @Override
    public String name() {
        return "demo-exporter";
    }

    @Override
    public void start() throws Exception {
        server = HttpServer.builder().listenAddress(listenAddress).registry(registry).maxThreads(8).build().start();
        traffic = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "demo-exporter-traffic");
            thread.setDaemon(true);
            return thread;
        });
        traffic.scheduleAtFixedRate(this::simulateTick, 0, (long) (TICK_SECONDS * 1000), TimeUnit.MILLISECONDS);
    }

    /** The bound port. */
    public int port() {
        return server.port();
    }

    /** One tick of simulated traffic: Poisson-ish request counts, log-normal latencies, error bursts. */
    private void simulateTick() {
        ticks++;
        // A 30-second burst of 25% errors on checkout every 10 minutes exercises the error alerts.
        boolean errorBurst = (ticks * TICK_SECONDS) % 600 < 30;
        int active = 0;
        for (Endpoint endpoint : ENDPOINTS) {
            int count = poisson(endpoint.requestsPerSecond() * TICK_SECONDS);
            active += count;
            for (int i = 0; i < count; i++) {
                double errorRatio = errorBurst && endpoint.handler().equals("/api/checkout") ? 0.25 : 0.002;
                String status = random.nextDouble() < errorRatio ? (random.nextBoolean() ? "500" : "503")
                        : endpoint.method().equals("POST") ? "201" : "200";
                requests.labelValues(endpoint.method(), endpoint.handler(), status).inc();
                double latency = endpoint.medianSeconds() * Math.exp(0.6 * gaussian());
                duration.labelValues(endpoint.method(), endpoint.handler()).observe(latency);
            }
        }
        inFlight.set(active / 10.0);
    }

    private int poisson(double mean) {
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int count = 0;
        while (product > limit) {
            count++;
            product *= random.nextDouble();
        }
        return count;
    }

    private double gaussian() {
        double u = Math.max(random.nextDouble(), 1e-12);
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    @Override
    public void close() throws Exception {
        if (traffic != null) {
            traffic.shutdownNow();
        }
        if (server != null) {
            server.close();
        }
    }
}
