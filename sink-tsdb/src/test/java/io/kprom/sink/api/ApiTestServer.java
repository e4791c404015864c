package io.kprom.sink.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kprom.common.http.HttpServer;
import io.kprom.common.labels.LabelMatcher;
import io.kprom.sink.storage.TsdbStats;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A loopback HTTP server with a {@link PrometheusApi} and a small client for API tests. */
final class ApiTestServer implements AutoCloseable {
    static final ObjectMapper MAPPER = new ObjectMapper();
    final HttpServer server;
    final HttpClient client = HttpClient.newHttpClient();

    ApiTestServer(PrometheusApi api) throws Exception {
        HttpServer.Builder builder = HttpServer.builder().port(0).stopTimeout(java.time.Duration.ZERO);
        api.routes().forEach(builder::route);
        server = builder.build().start();
    }

    record Reply(int status, String body, String contentType) {
        JsonNode json() throws Exception {
            return MAPPER.readTree(body);
        }
    }

    Reply get(String pathAndQuery) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(pathAndQuery)).GET().build();
        return send(request);
    }

    /** POSTs an application/x-www-form-urlencoded body of name, value pairs, as Grafana does. */
    Reply postForm(String path, String... namesAndValues) throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(URLEncoder.encode(namesAndValues[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
        }
        HttpRequest request = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        return send(request);
    }

    Reply send(HttpRequest request) throws Exception {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body(),
                response.headers().firstValue("Content-Type").orElse(""));
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        server.close();
    }

    /** Records admin calls and serves fixed stats. */
    static final class RecordingTsdb implements TsdbAdmin {
        final List<String> calls = new ArrayList<>();

        @Override
        public synchronized TsdbStats stats(int topN) {
            calls.add("stats " + topN);
            return new TsdbStats(new TsdbStats.HeadStats(3, 5, 7, 1000, 2000),
                    List.of(new TsdbStats.Entry("up", 2)), List.of(new TsdbStats.Entry("job", 2)),
                    List.of(new TsdbStats.Entry("job", 8)), List.of(new TsdbStats.Entry("job=node", 1)));
        }

        @Override
        public synchronized void deleteSeries(List<LabelMatcher> matchers, long minTimeMillis, long maxTimeMillis) {
            calls.add("delete " + matchers + " " + minTimeMillis + " " + maxTimeMillis);
        }

        @Override
        public synchronized void cleanTombstones() {
            calls.add("clean");
        }

        @Override
        public synchronized Path snapshot(boolean skipHead) {
            calls.add("snapshot " + skipHead);
            return Path.of("/data/snapshots/20260101T000000Z-00ff");
        }
    }

    static Map<String, MetricMetadataSource.Entry> sampleMetadata() {
        return new java.util.TreeMap<>(Map.of(
                "up", new MetricMetadataSource.Entry("gauge", "Whether the target is up.", ""),
                "http_requests_total", new MetricMetadataSource.Entry("counter", "Requests served.", ""),
                "process_cpu_seconds_total", new MetricMetadataSource.Entry("counter", "CPU time.", "seconds")));
    }
}
