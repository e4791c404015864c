package io.kprom.standalone.fault.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** A small client of one kprom web listener (query API, targets API, /metrics, /-/reload, /api/v1/write). */
public final class PipelineApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A status code with its body. */
    public record Answer(int status, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (HTTP " + status + "): " + abbreviate(body), e);
            }
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public PipelineApi(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** {@code POST /api/v1/query} with a form body (any query size). */
    public Answer query(String promql) {
        return query(promql, "");
    }

    /** {@code POST /api/v1/query} evaluated at {@code timeSeconds} (Prometheus's {@code time} parameter). */
    public Answer queryAt(String promql, double timeSeconds) {
        return query(promql, "&time=" + timeSeconds);
    }

    private Answer query(String promql, String extraForm) {
        String form = "query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + extraForm;
        return send(HttpRequest.newBuilder(URI.create(base + "/api/v1/query"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).timeout(Duration.ofSeconds(60)).build());
    }

    /**
     * The value of the first sample of an instant query, or NaN when the result is empty.
     *
     * @throws AssertionError when the query fails (so Awaitility's {@code untilAsserted} retries it)
     */
    public double scalar(String promql) {
        Answer answer = query(promql);
        JsonNode body = answer.json();
        if (!"success".equals(body.path("status").asText())) {
            throw new AssertionError("query " + promql + " failed (HTTP " + answer.status() + "): " + abbreviate(answer.body()));
        }
        JsonNode result = body.at("/data/result");
        return result.size() == 0 ? Double.NaN : result.get(0).at("/value/1").asDouble();
    }

    /** Like {@link #scalar(String)}, evaluated at {@code timeSeconds}. */
    public double scalarAt(String promql, double timeSeconds) {
        JsonNode result = queryAt(promql, timeSeconds).json().at("/data/result");
        return result.size() == 0 ? Double.NaN : result.get(0).at("/value/1").asDouble();
    }

    /** Number of series an instant query returns. */
    public int resultSize(String promql) {
        return query(promql).json().at("/data/result").size();
    }

    /** The active target of a scrape pool (job), from {@code /api/v1/targets}; missing node when absent. */
    public JsonNode target(String job) {
        JsonNode targets = get("/api/v1/targets?state=active").json().at("/data/activeTargets");
        for (JsonNode target : targets) {
            if (job.equals(target.path("scrapePool").asText())) {
                return target;
            }
        }
        return JSON.missingNode();
    }

    public Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build());
    }

    public Answer reload() {
        return send(HttpRequest.newBuilder(URI.create(base + "/-/reload")).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30)).build());
    }

    /** {@code POST /api/v1/write} with the given headers (null values are left out). */
    public Answer write(Map<String, String> headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/v1/write"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(60));
        headers.forEach((name, value) -> {
            if (value != null) {
                request.header(name, value);
            }
        });
        return send(request.build());
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "... (" + text.length() + " chars)";
    }
}
