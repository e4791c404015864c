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
    /** Share of requests at or under each bucket bound (exponential latencies, mean 80 ms). */
    private static final double[] BUCKET_FRACTIONS = new double[BUCKETS.length];

    static {
        for (int b = 0; b < BUCKETS.length; b++) {
            BUCKET_FRACTIONS[b] = 1 - Math.exp(-BUCKETS[b] / 0.08);
        }
    }
    static final int SERIES_PER_GROUP = 16;

    private final int targets;
    private final int groups;
    private final Lines lines;
    private final HttpServer server;

    public SyntheticFleet(int targets, int seriesPerTarget, String listenAddress) {
        this.targets = targets;
        this.groups = Math.max(1, seriesPerTarget / SERIES_PER_GROUP);
        this.lines = new Lines(groups);
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
                        byte[] body = render(target, System.currentTimeMillis());
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

    /**
     * Renders one target's exposition (text format 0.0.4) at one time. Hot: at 200 targets x 1 000 series every 5 s the fleet renders 40 000 lines a
     * second on the machine it loads, so the label text of every line is encoded once ({@link Lines}) and
     * values are written as fixed-point digits, with no per-line strings or double formatting.
     */
    byte[] render(int target, long nowMillis) {
        double t = nowMillis / 1000.0;
        AsciiBuffer out = new AsciiBuffer(lines.estimatedBytes);
        out.append(Lines.REQUESTS_HEADER);
        for (int g = 0; g < groups; g++) {
            double rate = 1 + (target * 31 + g * 17) % 50;
            out.append(lines.requestsOk[g]).appendMillis(Math.round((rate * t + wobble(target, g, t)) * 1000)).newline();
            out.append(lines.requestsError[g]).appendMillis(Math.round(rate * 0.01 * t * 1000)).newline();
        }
        out.append(Lines.QUEUE_HEADER);
        for (int g = 0; g < groups; g++) {
            double depth = 50 + 40 * Math.sin(t / 60 + target + g) + wobble(g, target, t);
            out.append(lines.queueDepth[g]).appendMillis(Math.round(depth * 1000)).newline();
        }
        out.append(Lines.LATENCY_HEADER);
        for (int g = 0; g < groups; g++) {
            double count = Math.floor((1 + (target + g) % 20) * t);
            for (int b = 0; b < BUCKETS.length; b++) {
                out.append(lines.buckets[g][b]).appendLong((long) Math.floor(count * BUCKET_FRACTIONS[b])).newline();
            }
            out.append(lines.buckets[g][BUCKETS.length]).appendLong((long) count).newline();
            out.append(lines.latencySum[g]).appendMillis(Math.round(count * 0.08 * 1000)).newline();
            out.append(lines.latencyCount[g]).appendLong((long) count).newline();
        }
        out.append(Lines.MARKER_PREFIX).appendMillis(nowMillis).newline();
        return out.toByteArray();
    }

    /** The label text of every line, the same for every target (the scraper adds {@code instance}). */
    private static final class Lines {
        static final byte[] REQUESTS_HEADER = ascii("# HELP fleet_requests_total Requests served.\n# TYPE fleet_requests_total counter\n");
        static final byte[] QUEUE_HEADER = ascii("# HELP fleet_queue_depth Items waiting.\n# TYPE fleet_queue_depth gauge\n");
        static final byte[] LATENCY_HEADER = ascii("# HELP fleet_latency_seconds Request latency.\n# TYPE fleet_latency_seconds histogram\n");
        static final byte[] MARKER_PREFIX = ascii("# TYPE fleet_marker_timestamp_seconds gauge\nfleet_marker_timestamp_seconds ");

        final byte[][] requestsOk;
        final byte[][] requestsError;
        final byte[][] queueDepth;
        final byte[][][] buckets;
        final byte[][] latencySum;
        final byte[][] latencyCount;
        final int estimatedBytes;

        Lines(int groups) {
            requestsOk = new byte[groups][];
            requestsError = new byte[groups][];
            queueDepth = new byte[groups][];
            buckets = new byte[groups][BUCKETS.length + 1][];
            latencySum = new byte[groups][];
            latencyCount = new byte[groups][];
            int bytes = 512;
            for (int g = 0; g < groups; g++) {
                String handler = "handler=\"/h" + g + "\"";
                requestsOk[g] = ascii("fleet_requests_total{" + handler + ",status=\"200\"} ");
                requestsError[g] = ascii("fleet_requests_total{" + handler + ",status=\"500\"} ");
                queueDepth[g] = ascii("fleet_queue_depth{queue=\"q" + g + "\"} ");
                for (int b = 0; b <= BUCKETS.length; b++) {
                    String le = b < BUCKETS.length ? Double.toString(BUCKETS[b]) : "+Inf";
                    buckets[g][b] = ascii("fleet_latency_seconds_bucket{" + handler + ",le=\"" + le + "\"} ");
                    bytes += buckets[g][b].length + 16;
                }
                latencySum[g] = ascii("fleet_latency_seconds_sum{" + handler + "} ");
                latencyCount[g] = ascii("fleet_latency_seconds_count{" + handler + "} ");
                bytes += requestsOk[g].length + requestsError[g].length + queueDepth[g].length + latencySum[g].length
                        + latencyCount[g].length + 5 * 24;
            }
            estimatedBytes = bytes;
        }

        private static byte[] ascii(String text) {
            return text.getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** A growable ASCII byte buffer with fixed-point number output. Not thread-safe; one per render. */
    private static final class AsciiBuffer {
        private byte[] bytes;
        private int length;

        AsciiBuffer(int capacity) {
            bytes = new byte[capacity];
        }

        AsciiBuffer append(byte[] text) {
            ensure(text.length);
            System.arraycopy(text, 0, bytes, length, text.length);
            length += text.length;
            return this;
        }

        AsciiBuffer newline() {
            ensure(1);
            bytes[length++] = '\n';
            return this;
        }

        AsciiBuffer appendLong(long value) {
            ensure(21);
            if (value < 0) {
                bytes[length++] = '-';
                value = -value;
            }
            int start = length;
            do {
                bytes[length++] = (byte) ('0' + value % 10);
                value /= 10;
            } while (value != 0);
            for (int i = start, j = length - 1; i < j; i++, j--) {
                byte swap = bytes[i];
                bytes[i] = bytes[j];
                bytes[j] = swap;
            }
            return this;
        }

        /** {@code thousandths / 1000} with three decimals, e.g. 1234567 -> "1234.567". */
        AsciiBuffer appendMillis(long thousandths) {
            if (thousandths < 0) {
                ensure(1);
                bytes[length++] = '-';
                thousandths = -thousandths;
            }
            appendLong(thousandths / 1000);
            ensure(4);
            long fraction = thousandths % 1000;
            bytes[length++] = '.';
            bytes[length++] = (byte) ('0' + fraction / 100);
            bytes[length++] = (byte) ('0' + fraction / 10 % 10);
            bytes[length++] = (byte) ('0' + fraction % 10);
            return this;
        }

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(bytes, length);
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }

    private static double wobble(int a, int b, double t) {
        long h = (long) (t * 10) * 0x9E3779B97F4A7C15L + a * 0xBF58476D1CE4E5B9L + b;
        h ^= h >>> 31;
        return (h & 0xffff) / 65536.0;
    }

    @Override
    public void close() throws Exception {
        server.close();
    }

    /** Runs a fleet until killed: {@code SyntheticFleet <targets> <seriesPerTarget> <listen-address>}. */
    public static void main(String[] args) throws Exception {
        // bench has no logback.xml, and logback's default (DEBUG to the console) made Jetty log every request:
        // the fleet then spent ~50 ms of CPU per scrape and starved the systems it loads.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        int targets = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int series = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        String listen = args.length > 2 ? args[2] : "0.0.0.0:9500";
        SyntheticFleet fleet = new SyntheticFleet(targets, series, listen).start();
        System.out.println("fleet: " + targets + " targets x " + fleet.seriesPerTarget() + " series on port " + fleet.port());
        Thread.currentThread().join();
    }
}
