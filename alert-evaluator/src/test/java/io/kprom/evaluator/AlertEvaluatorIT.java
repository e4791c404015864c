package io.kprom.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.kprom.common.config.PrometheusConfig;
import io.kprom.common.labels.Labels;
import io.kprom.promql.rules.Alert;
import io.kprom.promql.rules.AlertState;
import io.kprom.promql.rules.AlertingRule;
import io.kprom.promql.rules.RuleGroup;
import io.kprom.schemas.avro.AlertEvent;
import io.kprom.schemas.avro.Series;
import io.kprom.schemas.avro.SeriesBatch;
import io.kprom.schemas.serde.KpromSerdes;
import io.kprom.testsupport.KafkaBroker;
import io.kprom.testsupport.KafkaBrokerExtension;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a real broker: samples in, alert out. A controllable clock drives evaluations
 * ({@code for: 2m} at a 15 s interval); the evaluator is stopped in the middle of {@code for} and a
 * new one takes over from the durable state. Notifications go to a local receiver that checks the
 * API v2 payload and, when Debian's {@code prometheus-alertmanager} is installed, also to a real
 * Alertmanager, which must see one continuous alert.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AlertEvaluatorIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long STEP = 15_000;
    private static final int PARTITIONS = 3;

    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private HttpServer receiver;
    private Process alertmanager;
    private int alertmanagerPort;
    private final AtomicLong clock = new AtomicLong();

    @BeforeEach
    void startReceivers(@TempDir Path dir) throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/prefix/api/v2/alerts", exchange -> {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            assertPayloadSchema(body, exchange.getRequestHeaders().getFirst("Authorization"));
            body.forEach(received::add);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        String binary = alertmanagerBinary();
        if (binary != null) {
            try (ServerSocket socket = new ServerSocket(0)) {
                alertmanagerPort = socket.getLocalPort();
            }
            Path config = dir.resolve("am.yml");
            Files.writeString(config, "route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n");
            alertmanager = new ProcessBuilder(binary, "--config.file=" + config, "--storage.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + alertmanagerPort, "--cluster.listen-address=")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("am.log").toFile()).start();
            await().atMost(Duration.ofSeconds(30)).until(() -> get("/-/ready") == 200);
        }
    }

    @AfterEach
    void stopReceivers() throws Exception {
        receiver.stop(0);
        if (alertmanager != null) {
            alertmanager.destroy();
            alertmanager.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static String alertmanagerBinary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("prometheus-alertmanager", "alertmanager")) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        return null;
    }

    private int get(String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + alertmanagerPort + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void assertPayloadSchema(JsonNode body, String authorization) {
        assertThat(authorization).isEqualTo("Bearer secret-token");
        assertThat(body.isArray()).isTrue();
        assertThat(body.size()).isBetween(1, AlertmanagerNotifier.MAX_BATCH);
        for (JsonNode alert : body) {
            assertThat(alert.fieldNames()).toIterable()
                    .containsExactlyInAnyOrder("labels", "annotations", "startsAt", "endsAt", "generatorURL");
            Instant.parse(alert.get("startsAt").asText());
            Instant.parse(alert.get("endsAt").asText());
            alert.get("labels").fields().forEachRemaining(e -> assertThat(e.getValue().isTextual()).isTrue());
        }
    }

    @Test
    void restartInTheMiddleOfForFiresOnTimeAndAlertmanagerSeesOneAlert(KafkaBroker broker, @TempDir Path dir)
            throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String samplesTopic = "samples-" + suffix;
        String alertsTopic = "alerts-" + suffix;
        broker.createTopics(PARTITIONS, samplesTopic);
        broker.createTopics(1, alertsTopic);
        Path rules = dir.resolve("rules.yml");
        Files.writeString(rules, """
                groups:
                  - name: node
                    interval: 15s
                    rules:
                      - alert: InstanceDown
                        expr: up{job="node"} == 0
                        for: 2m
                        labels:
                          severity: page
                        annotations:
                          summary: "{{ $labels.instance }} down ({{ $value }})"
                """);
        StringBuilder managers = new StringBuilder("'127.0.0.1:" + receiver.getAddress().getPort() + "'");
        if (alertmanager != null) {
            managers.append(", '127.0.0.1:").append(alertmanagerPort).append("'");
        }
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  evaluation_interval: 15s
                  external_labels:
                    cluster: eu1
                alerting:
                  alert_relabel_configs:
                    - source_labels: [severity]
                      regex: page
                      target_label: paged
                      replacement: "yes"
                  alertmanagers:
                    - path_prefix: /prefix
                      authorization:
                        credentials: secret-token
                      static_configs:
                        - targets: [%s]
                """.formatted(managers));
        PrometheusConfig prometheus = PrometheusConfig.load(config);
        // The real Alertmanager has no /prefix; give it its own entry without one.
        if (alertmanager != null) {
            Files.writeString(config, Files.readString(config).replace(", '127.0.0.1:" + alertmanagerPort + "'", "")
                    + "    - static_configs:\n        - targets: ['127.0.0.1:" + alertmanagerPort + "']\n");
            prometheus = PrometheusConfig.load(config);
        }
        long start = (System.currentTimeMillis() / 60_000) * 60_000;
        clock.set(start);
        EvaluatorSettings settings = EvaluatorSettings.builder()
                .bootstrapServers(broker.bootstrapServers())
                .prometheusConfig(prometheus)
                .ruleFiles(List.of(rules))
                .samplesTopic(samplesTopic)
                .alertsTopic(alertsTopic)
                .stateTopic("state-" + suffix)
                .clock(clock::get)
                .externalUrl("http://kprom.example")
                .tickMillis(20)
                .build();

        try (KafkaProducer<String, SeriesBatch> samples = new KafkaProducer<>(Map.of("bootstrap.servers",
                broker.bootstrapServers()), new StringSerializer(), KpromSerdes.seriesBatch(Map.of()).serializer())) {
            Labels down = Labels.of("__name__", "up", "job", "node", "instance", "host-1:9100");
            Labels fine = Labels.of("__name__", "up", "job", "node", "instance", "host-2:9100");
            Labels unrelated = Labels.of("__name__", "http_requests_total", "job", "api");
            produce(samples, samplesTopic, start, down, 0, fine, 1, unrelated, 5);

            AlertEvaluatorComponent first = new AlertEvaluatorComponent(settings);
            first.start();
            await().atMost(Duration.ofSeconds(60)).until(first::ready);
            // Evaluations at start+15s .. start+60s: pending since start+15s.
            long activeAt = start + STEP;
            for (long t = start + STEP; t <= start + 60_000; t += STEP) {
                advance(first, samples, samplesTopic, t, down, 0, fine, 1);
            }
            Alert pending = firstAlert(first);
            assertThat(pending.state()).isEqualTo(AlertState.PENDING);
            assertThat(pending.activeAtMillis()).isEqualTo(activeAt);
            assertThat(received).isEmpty();
            first.close();

            long firedAt = activeAt + 120_000;
            AlertEvaluatorComponent second = new AlertEvaluatorComponent(settings);
            second.start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(second::ready);
                assertThat(firstAlert(second).activeAtMillis()).isEqualTo(activeAt);
                for (long t = start + 75_000; t < activeAt + 120_000; t += STEP) {
                    advance(second, samples, samplesTopic, t, down, 0, fine, 1);
                    assertThat(firstAlert(second).state()).isEqualTo(AlertState.PENDING);
                }
                advance(second, samples, samplesTopic, firedAt, down, 0, fine, 1);
                Alert firing = firstAlert(second);
                assertThat(firing.state()).isEqualTo(AlertState.FIRING);
                assertThat(firing.activeAtMillis()).isEqualTo(activeAt);
                assertThat(firing.firedAtMillis()).isEqualTo(firedAt);

                await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
                JsonNode sent = received.get(0);
                assertThat(sent.get("labels").toString()).isEqualTo("{\"alertname\":\"InstanceDown\","
                        + "\"cluster\":\"eu1\",\"instance\":\"host-1:9100\",\"job\":\"node\",\"paged\":\"yes\","
                        + "\"severity\":\"page\"}");
                assertThat(sent.get("annotations").get("summary").asText()).isEqualTo("host-1:9100 down (0)");
                assertThat(Instant.parse(sent.get("startsAt").asText()).toEpochMilli()).isEqualTo(firedAt);
                // endsAt = now + 4 x max(interval 15s, resend delay 1m).
                assertThat(Instant.parse(sent.get("endsAt").asText()).toEpochMilli()).isEqualTo(firedAt + 240_000);
                assertThat(sent.get("generatorURL").asText())
                        .isEqualTo("http://kprom.example/graph?g0.expr=up%7Bjob%3D%22node%22%7D+%3D%3D+0&g0.tab=1");
                if (alertmanager != null) {
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                        JsonNode alerts = JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + alertmanagerPort + "/api/v2/alerts")).build(),
                                HttpResponse.BodyHandlers.ofString()).body());
                        assertThat(alerts.size()).isEqualTo(1);
                        assertThat(Instant.parse(alerts.get(0).get("startsAt").asText()).toEpochMilli())
                                .isEqualTo(firedAt);
                    });
                }

                // Resolution: sent once with endsAt = resolvedAt.
                long resolvedAt = firedAt + STEP;
                advance(second, samples, samplesTopic, resolvedAt, down, 1, fine, 1);
                await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= 2);
                JsonNode resolved = received.get(received.size() - 1);
                assertThat(Instant.parse(resolved.get("endsAt").asText()).toEpochMilli()).isEqualTo(resolvedAt);
                assertThat(Instant.parse(resolved.get("startsAt").asText()).toEpochMilli()).isEqualTo(firedAt);
            } finally {
                second.close();
            }

            List<AlertEvent> events = readEvents(broker, alertsTopic, 3);
            assertThat(events).extracting(e -> e.getState().name()).containsExactly("PENDING", "FIRING", "RESOLVED");
            assertThat(events).extracting(AlertEvent::getFingerprint).containsOnly(
                    Alert.fingerprint(Labels.of("alertname", "InstanceDown", "instance", "host-1:9100", "job", "node",
                            "severity", "page")));
            assertThat(events.get(1).getActiveAtMillis()).isEqualTo(activeAt);
            assertThat(alertSeries(broker, samplesTopic)).contains(
                    "ALERTS{alertname=\"InstanceDown\", alertstate=\"pending\", instance=\"host-1:9100\", job=\"node\", "
                            + "severity=\"page\"}@" + activeAt + "=1.0",
                    "ALERTS{alertname=\"InstanceDown\", alertstate=\"firing\", instance=\"host-1:9100\", job=\"node\", "
                            + "severity=\"page\"}@" + firedAt + "=1.0",
                    "ALERTS_FOR_STATE{alertname=\"InstanceDown\", instance=\"host-1:9100\", job=\"node\", "
                            + "severity=\"page\"}@" + firedAt + "=" + (double) (activeAt / 1000));
        }
    }

    private static Alert firstAlert(AlertEvaluatorComponent evaluator) {
        RuleGroup group = evaluator.groups().get(0);
        AlertingRule rule = group.alertingRules().get(0);
        List<Alert> alerts = rule.currentAlerts();
        assertThat(alerts).hasSize(1);
        return alerts.get(0);
    }

    /** Writes samples stamped t, moves the clock to t and waits for the evaluation at t. */
    private void advance(AlertEvaluatorComponent evaluator, KafkaProducer<String, SeriesBatch> producer, String topic,
            long t, Object... seriesAndValues) throws Exception {
        produce(producer, topic, t, seriesAndValues);
        // Give the consumer the sample before the evaluation at t runs.
        Labels probe = (Labels) seriesAndValues[0];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> evaluator.windowContains(probe, t));
        clock.set(t);
        RuleGroup group = evaluator.groups().get(0);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> group.lastEvaluationTimestampMillis() == t);
    }

    private static void produce(KafkaProducer<String, SeriesBatch> producer, String topic, long t,
            Object... seriesAndValues) throws Exception {
        for (int i = 0; i < seriesAndValues.length; i += 2) {
            Labels labels = (Labels) seriesAndValues[i];
            double value = ((Number) seriesAndValues[i + 1]).doubleValue();
            int shard = (int) Long.remainderUnsigned(labels.stableHash(), PARTITIONS);
            producer.send(new ProducerRecord<>(topic, shard, Integer.toString(shard), SeriesBatch.newBuilder()
                    .setSeries(List.of(Series.newBuilder().setLabels(labels.toList()).setTimestamps(List.of(t))
                            .setValues(List.of(value)).build())).build())).get();
        }
    }

    private static List<AlertEvent> readEvents(KafkaBroker broker, String topic, int count) {
        List<AlertEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, AlertEvent> consumer = consumer(broker, KpromSerdes.alertEvent(Map.of())
                .deserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, AlertEvent> record : consumer.poll(Duration.ofMillis(200))) {
                    assertThat(record.key()).isEqualTo(record.value().getFingerprint());
                    events.add(record.value());
                }
                return events.size() >= count;
            });
        }
        return events;
    }

    private static List<String> alertSeries(KafkaBroker broker, String topic) {
        List<String> series = new ArrayList<>();
        try (KafkaConsumer<String, SeriesBatch> consumer = consumer(broker, KpromSerdes.seriesBatch(Map.of())
                .deserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 5000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, SeriesBatch> record : consumer.poll(Duration.ofMillis(200))) {
                    for (Series s : record.value().getSeries()) {
                        Labels labels = Labels.fromList(s.getLabels());
                        if (labels.metricName().startsWith("ALERTS")) {
                            assertThat(record.partition()).isEqualTo(
                                    (int) Long.remainderUnsigned(labels.stableHash(), PARTITIONS));
                            String name = labels.metricName();
                            series.add(name + labels.withoutMetricName() + "@" + s.getTimestamps().get(0) + "="
                                    + s.getValues().get(0));
                        }
                    }
                }
            }
        }
        return series;
    }

    private static <V> KafkaConsumer<String, V> consumer(KafkaBroker broker,
            org.apache.kafka.common.serialization.Deserializer<V> deserializer) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", broker.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(config, new StringDeserializer(), deserializer);
    }
}
