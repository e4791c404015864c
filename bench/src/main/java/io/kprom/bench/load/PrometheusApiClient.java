package io.kprom.bench.load;

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

/**
 * A minimal client of the Prometheus HTTP query API ({@code /api/v1/query}, {@code /api/v1/query_range}),
 * used the same way against kprom and Prometheus. Thread-safe.
 */
final class PrometheusApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http;
    private final Duration timeout;

    PrometheusApiClient(String baseUrl, Duration timeout) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /** The {@code data.result} array of an instant query evaluated at the server's now. */
    JsonNode instantQuery(String query) throws IOException, InterruptedException {
        return get("/api/v1/query?query=" + encode(query));
    }

    /** The {@code data.result} array of a range query; times in Unix seconds. */
    JsonNode rangeQuery(String query, double startSeconds, double endSeconds, double stepSeconds)
            throws IOException, InterruptedException {
        return get("/api/v1/query_range?query=" + encode(query) + "&start=" + startSeconds + "&end=" + endSeconds
                + "&step=" + stepSeconds);
    }

    private JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(timeout).GET().build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new IOException("HTTP " + response.statusCode() + " for " + pathAndQuery + ": "
                    + body.path("error").asText(new String(response.body(), StandardCharsets.UTF_8)));
        }
        return body.path("data").path("result");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
