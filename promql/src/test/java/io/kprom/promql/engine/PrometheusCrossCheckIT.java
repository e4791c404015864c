package io.kprom.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kprom.common.labels.Labels;
import io.kprom.promql.storage.InMemoryQuerier;
import io.kprom.schemas.remotewrite.v1.RemoteWriteV1;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/**
 * Compares kprom's answers with a real Prometheus (Debian's {@code prometheus} package) for a few
 * hundred generated queries over the same data, pushed to Prometheus by remote write. Skipped when no
 * {@code prometheus} binary is installed.
 *
 * <p>Debian ships Prometheus 2.42, whose range selectors and lookback are closed intervals where 3.x's
 * are left-open; every sample therefore sits a few seconds off the 15 s grid the queries use, so no
 * sample falls on a window boundary and both versions must agree. Functions 2.42 lacks are not queried.
 */
class PrometheusCrossCheckIT {
    private static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final double TOLERANCE = 1e-6;

    @TempDir
    static Path directory;

    private static Process prometheus;
    private static String baseUrl;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InMemoryQuerier STORAGE = new InMemoryQuerier();
    private static long base;

    @BeforeAll
    static void startPrometheus() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(BINARY),
                "Prometheus cross-check skipped: /usr/bin/prometheus not installed (apt-get install prometheus)");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path config = directory.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1m\n");
        prometheus = new ProcessBuilder(BINARY.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + directory.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-remote-write-receiver", "--log.level=error")
                .redirectErrorStream(true).redirectOutput(directory.resolve("prometheus.log").toFile()).start();
        baseUrl = "http://127.0.0.1:" + port;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline || !prometheus.isAlive()) {
                throw new IllegalStateException("Prometheus did not become ready: "
                        + Files.readString(directory.resolve("prometheus.log")));
            }
            Thread.sleep(200);
        }
        base = (System.currentTimeMillis() - Duration.ofMinutes(70).toMillis()) / 60_000 * 60_000;
        pushData();
    }

    @AfterAll
    static void stopPrometheus() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor();
        }
    }

    /** Generated series: counters with resets, gauges, classic histograms, an info metric, a gap and a stale end. */
    private static void pushData() throws Exception {
        Random random = new Random(42);
        Map<Labels, List<double[]>> data = new TreeMap<>();
        int samples = 200; // 50 minutes at 15 s
        for (String job : List.of("api", "db")) {
            for (String instance : List.of("a", "b", "c")) {
                for (String method : List.of("get", "post")) {
                    Labels labels = Labels.of("__name__", "xk_requests_total", "job", job, "instance", instance,
                            "method", method);
                    double value = random.nextInt(100);
                    List<double[]> points = new ArrayList<>();
                    int jitter = 1 + random.nextInt(13);
                    for (int i = 0; i < samples; i++) {
                        value = random.nextInt(50) == 0 ? random.nextInt(5) : value + random.nextInt(20);
                        points.add(new double[] {base + i * 15_000L + jitter * 1000L, value});
                    }
                    data.put(labels, points);
                }
                Labels gauge = Labels.of("__name__", "xk_temperature", "job", job, "instance", instance);
                List<double[]> points = new ArrayList<>();
                double value = random.nextGaussian() * 10;
                int jitter = 1 + random.nextInt(13);
                for (int i = 0; i < samples; i++) {
                    value += random.nextGaussian();
                    // A 6-minute gap in instance b exercises the lookback window.
                    if (!(instance.equals("b") && i >= 80 && i < 104)) {
                        points.add(new double[] {base + i * 15_000L + jitter * 1000L, Math.round(value * 100) / 100.0});
                    }
                }
                data.put(gauge, points);
                data.put(Labels.of("__name__", "xk_build_info", "job", job, "instance", instance, "version",
                        "v" + random.nextInt(3)), constant(samples, 1, 5));
            }
            double[] bounds = {0.1, 0.5, 1, 5, Double.POSITIVE_INFINITY};
            double[] cumulative = new double[bounds.length];
            List<List<double[]>> bucketPoints = new ArrayList<>();
            for (int b = 0; b < bounds.length; b++) {
                bucketPoints.add(new ArrayList<>());
            }
            for (int i = 0; i < samples; i++) {
                double running = 0;
                for (int b = 0; b < bounds.length; b++) {
                    running += random.nextInt(10);
                    cumulative[b] += running;
                }
                for (int b = 0; b < bounds.length; b++) {
                    bucketPoints.get(b).add(new double[] {base + i * 15_000L + 3000L, cumulative[b]});
                }
            }
            for (int b = 0; b < bounds.length; b++) {
                String le = Double.isInfinite(bounds[b]) ? "+Inf" : GoFloats.plain(bounds[b]);
                data.put(Labels.of("__name__", "xk_latency_seconds_bucket", "job", job, "le", le), bucketPoints.get(b));
            }
        }
        List<double[]> ending = constant(100, 7, 11);
        ending.add(new double[] {base + 100 * 15_000L + 11_000L, Double.longBitsToDouble(0x7ff0000000000002L)});
        data.put(Labels.of("__name__", "xk_ending", "job", "api"), ending);

        for (Map.Entry<Labels, List<double[]>> entry : data.entrySet()) {
            for (double[] point : entry.getValue()) {
                STORAGE.append(entry.getKey(), (long) point[0], point[1]);
            }
        }
        // Push in 5-minute slices so every request is in time order across series.
        for (long sliceStart = base; sliceStart < base + samples * 15_000L + 60_000; sliceStart += 300_000) {
            RemoteWriteV1.WriteRequest.Builder request = RemoteWriteV1.WriteRequest.newBuilder();
            for (Map.Entry<Labels, List<double[]>> entry : data.entrySet()) {
                RemoteWriteV1.TimeSeries.Builder series = RemoteWriteV1.TimeSeries.newBuilder();
                entry.getKey().forEach((name, value) -> series.addLabels(
                        RemoteWriteV1.Label.newBuilder().setName(name).setValue(value)));
                for (double[] point : entry.getValue()) {
                    if (point[0] >= sliceStart && point[0] < sliceStart + 300_000) {
                        series.addSamples(RemoteWriteV1.Sample.newBuilder().setTimestamp((long) point[0])
                                .setValue(point[1]));
                    }
                }
                if (series.getSamplesCount() > 0) {
                    request.addTimeseries(series);
                }
            }
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/write"))
                    .header("Content-Encoding", "snappy").header("Content-Type", "application/x-protobuf")
                    .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(request.build().toByteArray())))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("remote write: %s", response.body()).isBetween(200, 299);
        }
    }

    private static List<double[]> constant(int samples, double value, int jitterSeconds) {
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            points.add(new double[] {base + i * 15_000L + jitterSeconds * 1000L, value});
        }
        return points;
    }

    /** Queries: every supported function and operator family over the generated metrics. */
    static List<String> queries() {
        List<String> queries = new ArrayList<>();
        List<String> counters = List.of("xk_requests_total", "xk_requests_total{job=\"api\"}",
                "xk_requests_total{method=~\"p.*\"}");
        List<String> ranges = List.of("1m", "5m", "150s");
        for (String selector : counters) {
            for (String range : ranges) {
                for (String function : List.of("rate", "increase", "delta", "irate", "idelta", "deriv", "resets",
                        "changes", "sum_over_time", "avg_over_time", "min_over_time", "max_over_time",
                        "count_over_time", "stddev_over_time", "stdvar_over_time", "last_over_time",
                        "present_over_time", "absent_over_time")) {
                    queries.add(function + "(" + selector + "[" + range + "])");
                }
                queries.add("quantile_over_time(0.9, " + selector + "[" + range + "])");
                queries.add("predict_linear(" + selector + "[" + range + "], 600)");
            }
        }
        for (String range : ranges) {
            for (String function : List.of("avg_over_time", "deriv", "delta", "idelta", "changes", "stddev_over_time",
                    "min_over_time", "max_over_time", "quantile_over_time(0.25,")) {
                queries.add(function.endsWith(",") ? function + " xk_temperature[" + range + "])"
                        : function + "(xk_temperature[" + range + "])");
            }
            queries.add("holt_winters(xk_temperature[" + range + "], 0.5, 0.3)");
        }
        for (String aggregation : List.of("sum", "avg", "min", "max", "count", "group", "stddev", "stdvar")) {
            queries.add(aggregation + "(xk_temperature)");
            queries.add(aggregation + " by (job) (rate(xk_requests_total[5m]))");
            queries.add(aggregation + " without (instance) (xk_requests_total)");
            queries.add(aggregation + " by (job, method) (xk_requests_total)");
        }
        for (String k : List.of("1", "2", "5")) {
            queries.add("topk(" + k + ", xk_temperature)");
            queries.add("bottomk(" + k + ", xk_temperature)");
            // Counter rates tie often; tied candidates are picked arbitrarily, so rank a continuous signal.
            queries.add("topk by (job) (" + k + ", deriv(xk_temperature[5m]))");
            queries.add("bottomk without (method) (" + k + ", xk_requests_total)");
        }
        for (String q : List.of("0", "0.5", "0.9", "1")) {
            queries.add("quantile(" + q + ", xk_temperature)");
            queries.add("quantile by (job) (" + q + ", rate(xk_requests_total[5m]))");
            queries.add("histogram_quantile(" + q + ", rate(xk_latency_seconds_bucket[5m]))");
            queries.add("histogram_quantile(" + q + ", sum by (le) (rate(xk_latency_seconds_bucket[5m])))");
        }
        queries.add("count_values(\"value\", round(xk_temperature))");
        queries.add("count_values by (job) (\"v\", xk_build_info)");
        for (String op : List.of("+", "-", "*", "/", "%", "^", "atan2", "==", "!=", ">", "<", ">=", "<=")) {
            if (!op.equals("atan2")) {
                // Prometheus 2.42 keeps the metric name for vector-scalar atan2; 3.x drops it like other arithmetic.
                queries.add("xk_temperature " + op + " 2");
                queries.add("3 " + op + " xk_temperature");
            }
            queries.add("xk_temperature " + op + " on(job, instance) xk_temperature");
            queries.add("rate(xk_requests_total[5m]) " + op + " ignoring(method) group_left "
                    + "sum without (method) (rate(xk_requests_total[5m]))");
            if (op.length() <= 2 && "=!<>".indexOf(op.charAt(0)) >= 0) {
                queries.add("xk_temperature " + op + " bool 0");
                queries.add("xk_temperature " + op + " bool on(job, instance) xk_temperature offset 1m");
            }
        }
        queries.add("xk_temperature * on(job, instance) group_left(version) xk_build_info");
        queries.add("xk_build_info * on(job, instance) group_right(version) xk_temperature");
        queries.add("xk_requests_total and xk_requests_total{method=\"get\"}");
        queries.add("xk_requests_total and on(job) xk_temperature > 0");
        queries.add("xk_requests_total unless on(instance) xk_temperature{instance=\"a\"}");
        queries.add("xk_temperature or xk_ending");
        queries.add("xk_temperature{instance=\"b\"} or on(job) xk_temperature");
        queries.add("xk_temperature{job=\"api\"} or xk_temperature{job=\"db\"} unless xk_temperature < 0");
        queries.add("xk_requests_total / on() group_left sum(xk_requests_total)");
        for (String function : List.of("abs", "ceil", "floor", "exp", "sqrt", "ln", "log2", "log10", "sgn", "sin",
                "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "deg", "rad",
                "timestamp", "absent")) {
            queries.add(function + "(xk_temperature / 10)");
        }
        queries.add("timestamp(xk_temperature)");
        queries.add("round(xk_temperature)");
        queries.add("round(xk_temperature, 0.5)");
        queries.add("clamp(xk_temperature, -5, 5)");
        queries.add("clamp_min(xk_temperature, 0)");
        queries.add("clamp_max(xk_temperature, 0)");
        queries.add("clamp(xk_temperature, 5, -5)");
        queries.add("label_replace(xk_temperature, \"host\", \"$1-x\", \"instance\", \"(.*)\")");
        queries.add("label_replace(xk_temperature, \"job\", \"\", \"job\", \"api\")");
        queries.add("label_join(xk_temperature, \"id\", \"/\", \"job\", \"instance\")");
        queries.add("sort(xk_temperature)");
        queries.add("sort_desc(xk_temperature)");
        queries.add("scalar(xk_temperature{job=\"api\", instance=\"a\"})");
        queries.add("scalar(xk_temperature)");
        queries.add("vector(time())");
        queries.add("time() - timestamp(xk_temperature)");
        queries.add("absent(xk_missing{job=\"x\"})");
        queries.add("absent(xk_temperature)");
        queries.add("absent_over_time(xk_missing{job=\"y\"}[5m])");
        queries.add("xk_ending");
        queries.add("count_over_time(xk_ending[10m])");
        queries.add("xk_temperature offset 5m");
        // Windows stay inside the data: 2.42 and 3.x extrapolate differently where a series starts mid-window.
        queries.add("rate(xk_requests_total[5m] offset 1m)");
        queries.add("xk_temperature[5m]");
        queries.add("xk_requests_total{job=\"db\"}[2m] offset 1m");
        queries.add("-xk_temperature");
        queries.add("1 + 2 * 3 ^ 2 ^ 0.5");
        queries.add("-(2 ^ 2)");
        queries.add("\"a string\"");
        queries.add("sum(rate(xk_requests_total[5m])) by (job) / ignoring(job) group_left sum(rate(xk_requests_total[5m]))");
        queries.add("max_over_time(xk_requests_total[5m]) - min_over_time(xk_requests_total[5m])");
        queries.add("day_of_month()");
        queries.add("hour(xk_temperature * 0 + 1700000000)");
        queries.add("year(vector(1000000000))");
        queries.add("days_in_month(vector(1709251200))");
        queries.add("minute()");
        queries.add("month()");
        queries.add("day_of_week()");
        queries.add("day_of_year()");
        return queries;
    }

    @Test
    void instantQueriesMatchPrometheus() throws Exception {
        PromqlEngine engine = new PromqlEngine();
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        for (String query : queries()) {
            for (long offsetMinutes : List.of(12L, 27L, 41L)) {
                long time = base + offsetMinutes * 60_000;
                JsonNode expected = prometheus("/api/v1/query?query=" + encode(query) + "&time=" + time / 1000.0);
                String ours = query.replace("holt_winters", "double_exponential_smoothing");
                Value actual;
                try {
                    actual = engine.instantQuery((min, max) -> STORAGE, ours, time, QueryOptions.defaults()).value();
                } catch (QueryException e) {
                    if (!"error".equals(expected.path("status").asText())) {
                        mismatches.add(query + " @" + offsetMinutes + "m: we failed with " + e.getMessage());
                    }
                    continue;
                }
                compared++;
                String difference = compare(expected, actual);
                if (difference != null) {
                    mismatches.add(query + " @" + offsetMinutes + "m: " + difference);
                }
            }
        }
        assertThat(mismatches).as("%d compared", compared).isEmpty();
        assertThat(compared).isGreaterThan(300);
    }

    @Test
    void rangeQueriesMatchPrometheus() throws Exception {
        PromqlEngine engine = new PromqlEngine();
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        long start = base + 6 * 60_000;
        long end = base + 48 * 60_000;
        long step = 45_000;
        for (String query : queries()) {
            if (query.endsWith("]") || query.endsWith("offset 1m") && query.contains("[") || query.startsWith("\"")) {
                continue; // range vectors and strings are not valid range-query results
            }
            JsonNode expected = prometheus("/api/v1/query_range?query=" + encode(query) + "&start=" + start / 1000.0
                    + "&end=" + end / 1000.0 + "&step=" + step / 1000.0);
            String ours = query.replace("holt_winters", "double_exponential_smoothing");
            Value actual;
            try {
                actual = engine.rangeQuery((min, max) -> STORAGE, ours, start, end, step, QueryOptions.defaults())
                        .value();
            } catch (QueryException e) {
                if (!"error".equals(expected.path("status").asText())) {
                    mismatches.add(query + " (range): we failed with " + e.getMessage());
                }
                continue;
            }
            compared++;
            String difference = compare(expected, actual);
            if (difference != null) {
                mismatches.add(query + " (range): " + difference);
            }
        }
        assertThat(mismatches).as("%d compared", compared).isEmpty();
        assertThat(compared).isGreaterThan(150);
    }

    private static String encode(String query) {
        return URLEncoder.encode(query, StandardCharsets.UTF_8);
    }

    private static JsonNode prometheus(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    /** Null when equal; else a description of the first difference. */
    static String compare(JsonNode expected, Value actual) {
        if (!"success".equals(expected.path("status").asText())) {
            return "Prometheus failed (" + expected.path("error").asText() + ") but we answered";
        }
        JsonNode data = expected.path("data");
        String type = data.path("resultType").asText();
        if (!type.equals(actual.resultType())) {
            return "result type " + actual.resultType() + ", Prometheus " + type;
        }
        JsonNode result = data.path("result");
        switch (type) {
            case "scalar" -> {
                double want = parse(result.get(1).asText());
                double got = ((Value.ScalarValue) actual).value();
                return close(want, got) ? null : "scalar " + got + ", Prometheus " + want;
            }
            case "string" -> {
                String want = result.get(1).asText();
                return want.equals(((Value.StringValue) actual).value()) ? null : "string differs";
            }
            case "vector" -> {
                Map<Labels, Double> want = new HashMap<>();
                for (JsonNode sample : result) {
                    want.put(labels(sample.path("metric")), parse(sample.path("value").get(1).asText()));
                }
                Map<Labels, Double> got = new HashMap<>();
                for (Value.Sample sample : ((Value.VectorValue) actual).samples()) {
                    got.put(sample.labels(), sample.value());
                }
                if (!want.keySet().equals(got.keySet())) {
                    return "series " + got.keySet() + ", Prometheus " + want.keySet();
                }
                for (Map.Entry<Labels, Double> entry : want.entrySet()) {
                    if (!close(entry.getValue(), got.get(entry.getKey()))) {
                        return entry.getKey() + " = " + got.get(entry.getKey()) + ", Prometheus " + entry.getValue();
                    }
                }
                return null;
            }
            default -> {
                Map<Labels, Map<Long, Double>> want = new HashMap<>();
                for (JsonNode series : result) {
                    Map<Long, Double> points = new TreeMap<>();
                    for (JsonNode point : series.path("values")) {
                        points.put(Math.round(point.get(0).asDouble() * 1000), parse(point.get(1).asText()));
                    }
                    want.put(labels(series.path("metric")), points);
                }
                Map<Labels, Map<Long, Double>> got = new HashMap<>();
                for (Value.SeriesValue series : ((Value.MatrixValue) actual).series()) {
                    Map<Long, Double> points = new TreeMap<>();
                    for (int i = 0; i < series.timestamps().length; i++) {
                        points.put(series.timestamps()[i], series.values()[i]);
                    }
                    got.put(series.labels(), points);
                }
                if (!want.keySet().equals(got.keySet())) {
                    return "series " + got.keySet() + ", Prometheus " + want.keySet();
                }
                for (Map.Entry<Labels, Map<Long, Double>> entry : want.entrySet()) {
                    Map<Long, Double> ours = got.get(entry.getKey());
                    if (!ours.keySet().equals(entry.getValue().keySet())) {
                        return entry.getKey() + " timestamps " + ours.keySet() + ", Prometheus "
                                + entry.getValue().keySet();
                    }
                    for (Map.Entry<Long, Double> point : entry.getValue().entrySet()) {
                        if (!close(point.getValue(), ours.get(point.getKey()))) {
                            return entry.getKey() + " at " + point.getKey() + " = " + ours.get(point.getKey())
                                    + ", Prometheus " + point.getValue();
                        }
                    }
                }
                return null;
            }
        }
    }

    private static Labels labels(JsonNode metric) {
        Labels.Builder builder = Labels.builder();
        metric.fields().forEachRemaining(field -> builder.set(field.getKey(), field.getValue().asText()));
        return builder.build();
    }

    private static double parse(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    private static boolean close(double want, double got) {
        if (Double.isNaN(want) || Double.isNaN(got)) {
            return Double.isNaN(want) && Double.isNaN(got);
        }
        if (want == got) {
            return true;
        }
        return Math.abs(want - got) <= TOLERANCE * Math.max(1e-9, Math.max(Math.abs(want), Math.abs(got)));
    }
}
