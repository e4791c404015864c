package io.kprom.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kprom.common.kafka.TopicCatalogue;
import io.kprom.standalone.StandaloneOptions;
import io.kprom.standalone.StandaloneRunner;
import io.kprom.standalone.wiring.PipelineComponents;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline in one JVM on a real embedded broker: scrape (demo exporter) -> metrics.raw ->
 * processor -> metrics.samples -> sink -> Prometheus API, plus a recording rule and an alerting
 * rule evaluated from the same stream.
 */
class PipelineEndToEndIT {
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private JsonNode query(int port, String promql) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        return json.readTree(response.body());
    }

    @Test
    void scrapedSamplesRecordingRulesAndAlertsFlowThroughKafka(@TempDir Path dir) throws Exception {
        int demoPort = freePort();
        Path rules = dir.resolve("rules.yml");
        Files.writeString(rules, """
                groups:
                  - name: e2e
                    interval: 1s
                    rules:
                      - record: job:http_requests:rate1m
                        expr: sum by (job) (rate(http_requests_total[1m]))
                      - alert: DemoIsUp
                        expr: up{job="demo"} == 1
                        labels:
                          severity: info
                        annotations:
                          summary: "{{ $labels.instance }} is up"
                """);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files: [rules.yml]
                scrape_configs:
                  - job_name: demo
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(demoPort));
        PipelineComponents.Options options = new PipelineComponents.Options("127.0.0.1:" + demoPort, false, o -> o, 0);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (StandaloneRunner runner = new StandaloneRunner(new StandaloneOptions(config, dir.resolve("data"), "127.0.0.1:0",
                "127.0.0.1", 0, Duration.ofSeconds(180)), PipelineComponents.all(options),
                new PrintStream(log, true, StandardCharsets.UTF_8), TopicCatalogue.defaults())) {
            runner.start();
            int port = runner.webPort();

            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                JsonNode up = query(port, "up{job=\"demo\"}");
                assertThat(up.at("/data/result/0/value/1").asText()).isEqualTo("1");
            });
            // The scraped counter is queryable with the labels the exporter gave it.
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(
                    query(port, "http_requests_total{job=\"demo\", handler=\"/api/products\", status=\"200\"}")
                            .at("/data/result/0/value/1").asDouble()).isPositive());
            // The recording rule's result, written back through Kafka, is queryable.
            await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(
                    query(port, "job:http_requests:rate1m{job=\"demo\"}").at("/data/result/0/value/1").asDouble())
                    .isPositive());
            // The alert fires and its ALERTS series reaches the sink.
            await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(
                    query(port, "ALERTS{alertname=\"DemoIsUp\", alertstate=\"firing\"}").at("/data/result").size())
                    .isEqualTo(1));
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);

            // A broken new config is rejected and reported; the running one keeps scraping.
            Files.writeString(config, "scrape_configs:\n  - job_name: demo\n    scrape_intervall: 1s\n");
            HttpResponse<String> rejected = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/-/reload")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(rejected.statusCode()).isEqualTo(500);
            assertThat(rejected.body()).contains("prometheus.yml:3", "scrape_intervall");
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains("kprom_config_last_reload_successful 0.0");
            double before = query(port, "count_over_time(up{job=\"demo\"}[1h])").at("/data/result/0/value/1").asDouble();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    query(port, "count_over_time(up{job=\"demo\"}[1h])").at("/data/result/0/value/1").asDouble())
                    .isGreaterThan(before));
        }
    }
}
