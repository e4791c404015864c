package io.kprom.scraper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kprom.common.http.HttpServer;
import io.kprom.schemas.avro.BatchSource;
import io.kprom.schemas.avro.RawSeries;
import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.serde.KpromSerdes;
import io.kprom.scraper.scrape.TestTarget;
import io.kprom.testsupport.KafkaBroker;
import io.kprom.testsupport.KafkaBrokerExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class ScraperComponentIT {
    private static final Path NODE_EXPORTER = Path.of("/usr/bin/prometheus-node-exporter");
    private final OkHttpClient http = new OkHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Map<String, Object> consumerConfig(KafkaBroker broker) {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "t-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    }

    @Test
    void publishesEverySeriesARealNodeExporterExposes(KafkaBroker broker) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(NODE_EXPORTER),
                "skipped: prometheus-node-exporter is not installed (apt-get install -y prometheus-node-exporter)");
        int port = freePort();
        Process exporter = new ProcessBuilder(NODE_EXPORTER.toString(), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String topic = "raw-" + UUID.randomUUID();
        broker.createTopics(1, topic);
        Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
        ScraperComponent scraper = new ScraperComponent(TestConfigs.config("""
                scrape_configs:
                  - job_name: node
                    scrape_interval: 5s
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(port)), kafka, kafka, Map.of(),
                ScraperComponent.Settings.DEFAULT.withSharding(false).withTopics(topic, "unused")
                        .withSyncDelay(Duration.ofMillis(100)));
        try {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> fetch(port).code() == 200);
            scraper.start();
            ScrapeBatch batch = firstOkBatch(broker, topic);
            Map<String, Integer> expected = seriesCountByName(fetchBody(port));
            Map<String, Integer> published = new TreeMap<>();
            for (RawSeries series : batch.getSeries()) {
                published.merge(series.getLabels().get(series.getLabels().indexOf("__name__") + 1), 1, Integer::sum);
            }
            // Every family the exporter exposes arrives with the same number of series; values differ between scrapes.
            assertThat(published.keySet()).isEqualTo(expected.keySet());
            int expectedTotal = expected.values().stream().mapToInt(Integer::intValue).sum();
            assertThat(batch.getSeries()).hasSizeBetween(expectedTotal - 5, expectedTotal + 5);
            assertThat(batch.getTarget().getLabels()).containsExactly("instance", "127.0.0.1:" + port, "job", "node");
            assertThat(batch.getMetadata()).anySatisfy(m -> assertThat(m.getMetricFamily()).isEqualTo("node_cpu_seconds_total"));
        } finally {
            scraper.close();
            exporter.destroy();
            exporter.waitFor();
        }
    }

    @Test
    void publishesEverySeriesOfARealNodeExporterOverProtobuf(KafkaBroker broker) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(NODE_EXPORTER),
                "skipped: prometheus-node-exporter is not installed (apt-get install -y prometheus-node-exporter)");
        int port = freePort();
        Process exporter = new ProcessBuilder(NODE_EXPORTER.toString(), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String topic = "raw-" + UUID.randomUUID();
        broker.createTopics(1, topic);
        Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
        ScraperComponent scraper = new ScraperComponent(TestConfigs.config("""
                scrape_configs:
                  - job_name: node
                    scrape_interval: 5s
                    scrape_protocols: [PrometheusProto]
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(port)), kafka, kafka, Map.of(),
                ScraperComponent.Settings.DEFAULT.withSharding(false).withTopics(topic, "unused")
                        .withSyncDelay(Duration.ofMillis(100)));
        try {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> fetch(port).code() == 200);
            scraper.start();
            ScrapeBatch batch = firstOkBatch(broker, topic);
            assertThat(batch.getOutcome().getContentType()).startsWith("application/vnd.google.protobuf")
                    .contains("proto=io.prometheus.client.MetricFamily", "encoding=delimited");
            Map<String, Integer> expected = seriesCountByName(fetchBody(port));
            Map<String, Integer> published = new TreeMap<>();
            for (RawSeries series : batch.getSeries()) {
                published.merge(series.getLabels().get(series.getLabels().indexOf("__name__") + 1), 1, Integer::sum);
            }
            // The protobuf families expand to the same series names and counts as the text exposition.
            assertThat(published.keySet()).isEqualTo(expected.keySet());
            int expectedTotal = expected.values().stream().mapToInt(Integer::intValue).sum();
            assertThat(batch.getSeries()).hasSizeBetween(expectedTotal - 5, expectedTotal + 5);
            assertThat(batch.getSeries()).anySatisfy(series -> assertThat(series.getLabels())
                    .contains("__name__", "node_cpu_seconds_total", "mode", "idle"));
        } finally {
            scraper.close();
            exporter.destroy();
            exporter.waitFor();
        }
    }

    @Test
    void servesTargetsApiAndReloadsWithoutDroppingTheRunningTarget(KafkaBroker broker) throws Exception {
        String topic = "raw-" + UUID.randomUUID();
        broker.createTopics(1, topic);
        Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
        try (TestTarget first = new TestTarget(); TestTarget second = new TestTarget()) {
            first.answer(200, "text/plain", "a 1\n");
            second.answer(404, "text/plain", "nope");
            String base = """
                    scrape_configs:
                      - job_name: app
                        scrape_interval: 1s
                        scrape_timeout: 900ms
                        static_configs:
                          - targets: ['%s']
                        relabel_configs:
                          - source_labels: [__address__]
                            regex: '.*:1'
                            action: drop
                    """;
            ScraperComponent scraper = new ScraperComponent(TestConfigs.config(base.formatted(first.address())), kafka, kafka,
                    Map.of(), ScraperComponent.Settings.DEFAULT.withSharding(false).withTopics(topic, "unused")
                            .withSyncDelay(Duration.ofMillis(100)));
            scraper.start();
            assertThat(scraper.ready()).isTrue();
            try (HttpServer server = HttpServer.builder().listenAddress("127.0.0.1:0")
                    .route("/api/v1/targets", scraper.routes().get("/api/v1/targets")).build().start()) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    JsonNode active = targets(server, "").path("data").path("activeTargets");
                    assertThat(active).hasSize(1);
                    assertThat(active.get(0).path("health").asText()).isEqualTo("up");
                });
                JsonNode target = targets(server, "").path("data").path("activeTargets").get(0);
                assertThat(target.path("scrapePool").asText()).isEqualTo("app");
                assertThat(target.path("scrapeUrl").asText()).isEqualTo("http://" + first.address() + "/metrics");
                assertThat(target.path("labels").path("instance").asText()).isEqualTo(first.address());
                assertThat(target.path("labels").path("job").asText()).isEqualTo("app");
                assertThat(target.path("discoveredLabels").path("__address__").asText()).isEqualTo(first.address());
                assertThat(target.path("lastError").asText()).isEmpty();
                assertThat(target.path("lastScrape").asText()).endsWith("Z");
                assertThat(target.path("lastScrapeDuration").asDouble()).isPositive();
                assertThat(target.path("scrapeInterval").asText()).isEqualTo("1s");

                int requestsBefore = first.requests().size();
                scraper.reload(TestConfigs.config(base.replace("['%s']", "['%s', '%s', '127.0.0.1:1']")
                        .formatted(first.address(), second.address())));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    JsonNode data = targets(server, "").path("data");
                    assertThat(data.path("activeTargets")).hasSize(2);
                    assertThat(data.path("droppedTargets")).hasSize(1);
                    assertThat(data.path("droppedTargets").get(0).path("discoveredLabels").path("__address__").asText())
                            .isEqualTo("127.0.0.1:1");
                    boolean secondDown = false;
                    for (JsonNode node : data.path("activeTargets")) {
                        if (node.path("labels").path("instance").asText().equals(second.address())) {
                            secondDown = node.path("health").asText().equals("down")
                                    && node.path("lastError").asText().equals("server returned HTTP status 404 Not Found");
                        }
                    }
                    assertThat(secondDown).isTrue();
                });
                assertThat(targets(server, "?state=dropped").path("data").path("activeTargets")).isEmpty();
                assertThat(targets(server, "?scrapePool=other").path("data").path("activeTargets")).isEmpty();
                await().atMost(Duration.ofSeconds(10)).until(() -> first.requests().size() > requestsBefore + 1);

                scraper.reload(TestConfigs.config("scrape_configs: []\n"));
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(targets(server, "").path("data").path("activeTargets")).isEmpty());
            } finally {
                scraper.close();
            }
            List<ScrapeBatch> batches = consume(broker, topic, b -> b.getSource() == BatchSource.TARGET_REMOVED, 2);
            assertThat(batches).extracting(b -> b.getTarget().getInstance())
                    .containsExactlyInAnyOrder(first.address(), second.address());
        }
    }

    private JsonNode targets(HttpServer server, String query) throws IOException {
        try (Response response = http.newCall(new Request.Builder()
                .url("http://127.0.0.1:" + server.port() + "/api/v1/targets" + query).build()).execute()) {
            return json.readTree(response.body().string());
        }
    }

    private Response fetch(int port) throws IOException {
        Response response = http.newCall(new Request.Builder().url("http://127.0.0.1:" + port + "/metrics").build()).execute();
        response.close();
        return response;
    }

    private String fetchBody(int port) throws IOException {
        try (Response response = http.newCall(new Request.Builder().url("http://127.0.0.1:" + port + "/metrics")
                .header("Accept", "text/plain;version=0.0.4").build()).execute()) {
            return response.body().string();
        }
    }

    /** Series per metric name, read with a plain line split (independent of kprom's parsers). */
    private static Map<String, Integer> seriesCountByName(String body) {
        Map<String, Integer> out = new TreeMap<>();
        for (String line : body.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            out.merge(line.substring(0, end), 1, Integer::sum);
        }
        return out;
    }

    private ScrapeBatch firstOkBatch(KafkaBroker broker, String topic) {
        return consume(broker, topic, b -> b.getOutcome().getOk() && b.getSource() == BatchSource.SCRAPE, 1).get(0);
    }

    private static List<ScrapeBatch> consume(KafkaBroker broker, String topic, java.util.function.Predicate<ScrapeBatch> filter,
            int count) {
        List<ScrapeBatch> out = new CopyOnWriteArrayList<>();
        try (KafkaConsumer<String, ScrapeBatch> consumer = new KafkaConsumer<>(consumerConfig(broker), new StringDeserializer(),
                KpromSerdes.scrapeBatch(Map.of()).deserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, ScrapeBatch> record : consumer.poll(Duration.ofMillis(200))) {
                    if (filter.test(record.value())) {
                        out.add(record.value());
                    }
                }
                return out.size() >= count;
            });
        }
        return new ArrayList<>(out);
    }
}
