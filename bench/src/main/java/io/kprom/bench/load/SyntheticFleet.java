package io.kprom.bench.load;

import io.kprom.common.http.HttpServer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A fleet of synthetic scrape targets behind one listener: target {@code i} is
 * {@code 127.0.0.(i+1):port} (all of 127.0.0.0/8 is loopback on Linux), told apart by the Host
 * header. Each target exposes {@code seriesPerTarget} series in groups of 16: two request counters,
 * a queue-depth gauge and a classic latency histogram (10 buckets, +Inf, sum, count), with values
 * that change on every scrape like a real service. {@code fleet_marker_timestamp_seconds} carries
 * the scrape's wall-clock time, so a poller can measure scrape-to-queryable latency.
 *
 * Deterministic for a given scrape time; thread-safe.
 */
public final class SyntheticFleet implements AutoCloseable {
    private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
    static final int SERIES_PER_GROUP = 16;

    private final int targets;
    private final int groups;
    private final HttpServer server;

    public SyntheticFleet(int targets, int seriesPerTarget, String listenAddress) {
        this.targets = targets;
        this.groups = Math.max(1, seriesPerTarget / SERIES_PER_GROUP);
        this.server = HttpServer.builder().listenAddress(listenAddress).maxThreads(16)
                .registry(new io.prometheus.metrics.model.registry.PrometheusRegistry())
                .route("/fleet/metrics", new Handler.Abstract() {
                    @Override
                    public boolean handle(Request request, Response response, Callback callback) {
                        int target = targetIndex(request.getHeaders().get(HttpHeader.HOST));
                        if (target < 0) {
                            HttpServer.sendText(response, callback, 404, "unknown target\n");
                            return true;
                        }
                        byte[] body = exposition(target, System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8);
                        HttpServer.send(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8", body);
                        return true;
                    }
                }).build();
    }

    public SyntheticFleet start() throws Exception {
        server.start();
        return this;
    }

    public int port() {
        return server.port();
    }

    /** Series each target exposes (incl. the marker). */
    public int seriesPerTarget() {
        return groups * SERIES_PER_GROUP + 1;
    }

    /** Scrape addresses for a prometheus.yml static config. */
    public String[] addresses() {
        String[] addresses = new String[targets];
        for (int i = 0; i < targets; i++) {
            addresses[i] = "127.0." + (i / 250) + "." + (i % 250 + 1) + ":" + port();
        }
        return addresses;
    }

    private int targetIndex(String host) {
        if (host == null || !host.startsWith("127.0.")) {
            return -1;
        }
        String[] parts = host.substring("127.0.".length()).split("[.:]");
        try {
            int index = Integer.parseInt(parts[0]) * 250 + Integer.parseInt(parts[1]) - 1;
            return index >= 0 && index < targets ? index : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** The exposition of one target at one time. */
    String exposition(int target, long nowMillis) {
        double t = nowMillis / 1000.0;
        StringBuilder sb = new StringBuilder(groups * 1200);
        sb.append("# HELP fleet_requests_total Requests served.\n# TYPE fleet_requests_total counter\n");
        for (int g = 0; g < groups; g++) {
            double rate = 1 + (target * 31 + g * 17) % 50;
            sb.append("fleet_requests_total{handler=\"/h").append(g).append("\",status=\"200\"} ")
                    .append(round(rate * t + wobble(target, g, t))).append('\n');
            sb.append("fleet_requests_total{handler=\"/h").append(g).append("\",status=\"500\"} ")
                    .append(round(rate * 0.01 * t)).append('\n');
        }
        sb.append("# HELP fleet_queue_depth Items waiting.\n# TYPE fleet_queue_depth gauge\n");
        for (int g = 0; g < groups; g++) {
            sb.append("fleet_queue_depth{queue=\"q").append(g).append("\"} ")
                    .append(round(50 + 40 * Math.sin(t / 60 + target + g) + wobble(g, target, t))).append('\n');
        }
        sb.append("# HELP fleet_latency_seconds Request latency.\n# TYPE fleet_latency_seconds histogram\n");
        for (int g = 0; g < groups; g++) {
            double count = Math.floor((1 + (target + g) % 20) * t);
            double cumulative = 0;
            for (int b = 0; b < BUCKETS.length; b++) {
                cumulative = Math.floor(count * (1 - Math.exp(-BUCKETS[b] / 0.08)));
                sb.append("fleet_latency_seconds_bucket{handler=\"/h").append(g).append("\",le=\"").append(BUCKETS[b])
                        .append("\"} ").append((long) cumulative).append('\n');
            }
            sb.append("fleet_latency_seconds_bucket{handler=\"/h").append(g).append("\",le=\"+Inf\"} ").append((long) count).append('\n');
            sb.append("fleet_latency_seconds_sum{handler=\"/h").append(g).append("\"} ").append(round(count * 0.08)).append('\n');
            sb.append("fleet_latency_seconds_count{handler=\"/h").append(g).append("\"} ").append((long) count).append('\n');
        }
        sb.append("# TYPE fleet_marker_timestamp_seconds gauge\nfleet_marker_timestamp_seconds ")
                .append(nowMillis / 1000.0).append('\n');
        return sb.toString();
    }

    private static double wobble(int a, int b, double t) {
        long h = (long) (t * 10) * 0x9E3779B97F4A7C15L + a * 0xBF58476D1CE4E5B9L + b;
        h ^= h >>> 31;
        return (h & 0xffff) / 65536.0;
    }

    private static String round(double value) {
        return Double.toString(Math.round(value * 1000) / 1000.0);
    }

    @Override
    public void close() throws Exception {
        server.close();
    }

    /** Runs a fleet until killed: {@code SyntheticFleet <targets> <seriesPerTarget> <listen-address>}. */
    public static void main(String[] args) throws Exception {
        int targets = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int series = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        String listen = args.length > 2 ? args[2] : "0.0.0.0:9500";
        SyntheticFleet fleet = new SyntheticFleet(targets, series, listen).start();
        System.out.println("fleet: " + targets + " targets x " + fleet.seriesPerTarget() + " series on port " + fleet.port());
        Thread.currentThread().join();
    }
}
