package io.kprom.standalone.fault.outage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The kprom web listener as a test sees it: readiness, PromQL queries, self-metrics. */
public final class PipelineClient {
    /** One stored sample. */
    public record Point(long timestampMillis, double value) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String base;

    public PipelineClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** The status code of {@code GET /-/ready} (200 ready, 503 not). */
    public int readyStatus() throws IOException, InterruptedException {
        return get("/-/ready").statusCode();
    }

    /** An instant query's JSON answer. */
    public JsonNode query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> response = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        return json.readTree(response.body());
    }

    /** The first result's value of an instant query, or NaN when the result is empty. */
    public double scalar(String promql) throws IOException, InterruptedException {
        JsonNode value = query(promql).at("/data/result/0/value/1");
        return value.isMissingNode() ? Double.NaN : Double.parseDouble(value.asText());
    }

    /** Every raw sample of the first series a range-vector selector such as {@code foo[1h]} returns. */
    public List<Point> rawSamples(String rangeSelector) throws IOException, InterruptedException {
        JsonNode result = query(rangeSelector);
        if (!"success".equals(result.path("status").asText())) {
            throw new IllegalStateException("query " + rangeSelector + " failed: " + result);
        }
        List<Point> points = new ArrayList<>();
        for (JsonNode value : result.at("/data/result/0/values")) {
            points.add(new Point(Math.round(value.get(0).asDouble() * 1000), Double.parseDouble(value.get(1).asText())));
        }
        return points;
    }

    /** The sum over all label sets of a self-metric in {@code /metrics} (0 when absent). */
    public double selfMetric(String name) throws IOException, InterruptedException {
        double sum = 0;
        for (String line : get("/metrics").body().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** The {@code /metrics} sample lines whose name matches {@code nameRegex} somewhere, with a non-zero value. */
    public List<String> selfMetricLines(String nameRegex) throws IOException, InterruptedException {
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(nameRegex);
        List<String> lines = new ArrayList<>();
        for (String line : get("/metrics").body().split("\n")) {
            if (!line.startsWith("#") && !line.endsWith(" 0.0") && pattern.matcher(line.split("[{ ]", 2)[0]).find()) {
                lines.add(line);
            }
        }
        return lines;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
