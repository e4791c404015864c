package io.kprom.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kprom.common.config.PrometheusConfig;
import io.kprom.common.http.HttpServer;
import io.kprom.common.kafka.Topics;
import io.kprom.common.labels.Labels;
import io.kprom.schemas.avro.MetricMetadata;
import io.kprom.schemas.avro.MetricType;
import io.kprom.schemas.avro.Series;
import io.kprom.schemas.avro.SeriesBatch;
import io.kprom.schemas.serde.KpromSerdes;
import io.kprom.testsupport.KafkaBroker;
import io.kprom.testsupport.KafkaBrokerExtension;
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
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The whole sink on a real broker and RocksDB: ingest, readiness, PromQL over HTTP, metadata, admin API. */
@ExtendWith(KafkaBrokerExtension.class)
class SinkComponentIT {
    @Test
    void servesIngestedSamplesAndMetadata(KafkaBroker broker, @TempDir Path dir) throws Exception {
        broker.createTopics(3, Topics.METRICS_SAMPLES, Topics.METRICS_METADATA);
        String run = UUID.randomUUID().toString();
        long start = 1_700_000_000_000L;
        produceSamples(broker, run, start);
        produceMetadata(broker, "sink_it_metric");
        SinkComponent sink = new SinkComponent(SinkOptions.defaults(dir.resolve("data")).withAdminApi(true),
                PrometheusConfig.parse("global:\n  external_labels: {dc: x}\n", null),
                Map.of("bootstrap.servers", broker.bootstrapServers()), new io.kprom.promql.engine.PromqlEngine(),
                "sink-it-" + run);
        sink.start();
        HttpServer.Builder builder = HttpServer.builder().port(0).readiness(sink::ready);
        sink.routes().forEach(builder::route);
        try (HttpServer http = builder.build().start()) {
            HttpClient client = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + http.port();
            await().atMost(60, TimeUnit.SECONDS).until(() -> get(client, base + "/-/ready").statusCode() == 200);
            String query = URLEncoder.encode("sum(count_over_time(sink_it_metric{run=\"" + run + "\"}[1h]))",
                    StandardCharsets.UTF_8);
            await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> {
                JsonNode result = json(get(client, base + "/api/v1/query?query=" + query + "&time="
                        + (start / 1000 + 1800))).get("data").get("result");
                assertThat(result).hasSize(1);
                assertThat(result.get(0).get("value").get(1).asText()).isEqualTo("500");
            });
            await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> assertThat(json(get(client,
                    base + "/api/v1/metadata?metric=sink_it_metric")).get("data").get("sink_it_metric").get(0)
                    .get("type").asText()).isEqualTo("gauge"));
            JsonNode tsdb = json(get(client, base + "/api/v1/status/tsdb")).get("data");
            assertThat(tsdb.get("headStats").get("numSeries").asLong()).isGreaterThanOrEqualTo(5);
            JsonNode flags = json(get(client, base + "/api/v1/status/flags")).get("data");
            assertThat(flags.get("storage.tsdb.retention.time").asText()).isEqualTo("15d");
            HttpResponse<String> snapshot = client.send(HttpRequest.newBuilder(
                    URI.create(base + "/api/v1/admin/tsdb/snapshot")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(snapshot.statusCode()).isEqualTo(200);
            assertThat(json(snapshot).get("data").get("name").asText()).isNotBlank();
        } finally {
            sink.close();
        }
    }

    private static void produceSamples(KafkaBroker broker, String run, long start) {
        Properties props = new Properties();
        props.put("bootstrap.servers", broker.bootstrapServers());
        var serializer = KpromSerdes.seriesBatch(Map.of()).serializer();
        try (var producer = new KafkaProducer<byte[], byte[]>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int s = 0; s < 5; s++) {
                List<Long> timestamps = new ArrayList<>();
                List<Double> values = new ArrayList<>();
                for (int k = 0; k < 100; k++) {
                    timestamps.add(start + k * 15_000L);
                    values.add((double) k);
                }
                Labels labels = Labels.of("__name__", "sink_it_metric", "run", run, "instance", "i" + s);
                SeriesBatch batch = SeriesBatch.newBuilder().setSeries(List.of(Series.newBuilder()
                        .setLabels(new ArrayList<>(labels.toList())).setTimestamps(timestamps).setValues(values).build()))
                        .build();
                producer.send(new ProducerRecord<>(Topics.METRICS_SAMPLES, ("i" + s).getBytes(),
                        serializer.serialize(Topics.METRICS_SAMPLES, batch)));
            }
        }
    }

    private static void produceMetadata(KafkaBroker broker, String family) {
        Properties props = new Properties();
        props.put("bootstrap.servers", broker.bootstrapServers());
        var serializer = KpromSerdes.metricMetadata(Map.of()).serializer();
        try (var producer = new KafkaProducer<String, byte[]>(props, new StringSerializer(), new ByteArraySerializer())) {
            MetricMetadata metadata = MetricMetadata.newBuilder().setMetricFamily(family).setType(MetricType.GAUGE)
                    .setHelp("A test gauge.").setUnit("").build();
            producer.send(new ProducerRecord<>(Topics.METRICS_METADATA, family,
                    serializer.serialize(Topics.METRICS_METADATA, metadata)));
        }
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return new ObjectMapper().readTree(response.body());
    }
}
