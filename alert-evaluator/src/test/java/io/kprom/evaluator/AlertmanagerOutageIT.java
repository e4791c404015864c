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
import io.kprom.schemas.avro.Series;
import io.kprom.schemas.avro.SeriesBatch;
import io.kprom.schemas.serde.KpromSerdes;
import io.kprom.testsupport.KafkaBroker;
import io.kprom.testsupport.KafkaBrokerExtension;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection (issue #9, item 6): the Alertmanager, up at first, is down for 2 minutes while an
 * alert fires; once it is back on the same port the alert is delivered with its original
 * {@code startsAt}, and the failed sends were counted in {@code prometheus_notifications_errors_total}. Uses a real
 * Alertmanager process when Debian's package is installed (stopped and restarted), otherwise a
 * local receiver that answers 503 for the 2 minutes. Real clock: 1 s evaluation interval, 5 s
 * resend delay.
 */
@Tag("slow")
@ExtendWith(KafkaBrokerExtension.class)
class AlertmanagerOutageIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration OUTAGE = Duration.ofMinutes(2);

    private Process alertmanager;
    private HttpServer fallback;
    private volatile boolean fallbackDown;
    private final List<JsonNode> fallbackReceived = new CopyOnWriteArrayList<>();
    private int port;
    private Path dir;

    @AfterEach
    void stopAlertmanager() throws Exception {
        stopProcess();
        if (fallback != null) {
            fallback.stop(0);
        }
    }

    private void startAlertmanager() throws Exception {
        String binary = AlertEvaluatorIT.alertmanagerBinary();
        if (binary == null) {
            if (fallback == null) {
                fallback = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
                fallback.createContext("/api/v2/alerts", exchange -> {
                    JsonNode body = JSON.readTree(exchange.getRequestBody());
                    if (!fallbackDown) {
                        body.forEach(fallbackReceived::add);
                    }
                    exchange.sendResponseHeaders(fallbackDown ? 503 : 200, -1);
                    exchange.close();
                });
                fallback.start();
            }
            fallbackDown = false;
            return;
        }
        Path config = dir.resolve("am.yml");
        Files.writeString(config, "route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n");
        alertmanager = new ProcessBuilder(binary, "--config.file=" + config, "--storage.path=" + dir.resolve("am-data"),
                "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("am.log").toFile()))
                .start();
        await().atMost(Duration.ofSeconds(60)).until(() -> status("/-/ready") == 200);
    }

    private void stopAlertmanager(boolean real) throws Exception {
        if (real) {
            stopProcess();
            assertThat(status("/-/ready")).isEqualTo(-1);
        } else {
            fallbackDown = true;
        }
    }

    private void stopProcess() throws InterruptedException {
        if (alertmanager != null) {
            alertmanager.destroy();
            if (!alertmanager.waitFor(20, TimeUnit.SECONDS)) {
                alertmanager.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            alertmanager = null;
        }
    }

    private int status(String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** The alerts the Alertmanager (or the fallback receiver) holds now. */
    private List<JsonNode> alertsAtAlertmanager(boolean real) throws Exception {
        if (!real) {
            return List.copyOf(fallbackReceived);
        }
        JsonNode alerts = JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/v2/alerts")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        return toList(alerts);
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> out = new java.util.ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    @Test
    void firingAlertIsDeliveredWithItsOriginalStartsAtAfterTwoMinutesOfOutage(KafkaBroker broker, @TempDir Path dir)
            throws Exception {
        this.dir = dir;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        boolean real = AlertEvaluatorIT.alertmanagerBinary() != null;
        startAlertmanager();

        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String samplesTopic = "outage-samples-" + suffix;
        broker.createTopics(1, samplesTopic, "outage-alerts-" + suffix);
        Path rules = dir.resolve("rules.yml");
        Files.writeString(rules, """
                groups:
                  - name: outage
                    interval: 1s
                    rules:
                      - alert: ServiceDown
                        expr: up{job="outage"} == 0
                """);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  evaluation_interval: 1s
                alerting:
                  alertmanagers:
                    - timeout: 2s
                      static_configs:
                        - targets: ['127.0.0.1:%d']
                """.formatted(port));
        EvaluatorSettings settings = EvaluatorSettings.builder()
                .bootstrapServers(broker.bootstrapServers())
                .prometheusConfig(PrometheusConfig.load(config))
                .ruleFiles(List.of(rules))
                .samplesTopic(samplesTopic)
                .alertsTopic("outage-alerts-" + suffix)
                .stateTopic("outage-state-" + suffix)
                .resendDelay(Duration.ofSeconds(5))
                .build();
        String url = "http://127.0.0.1:" + port + "/api/v2/alerts";
        double errorsBefore = EvaluatorMetrics.NOTIFICATIONS_ERRORS.labelValues(url).get();

        try (AlertEvaluatorComponent evaluator = new AlertEvaluatorComponent(settings);
                KafkaProducer<String, SeriesBatch> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                        broker.bootstrapServers()), new StringSerializer(), KpromSerdes.seriesBatch(Map.of()).serializer())) {
            // The outage starts before the evaluator, so its start-up counts towards the 2 minutes.
            stopAlertmanager(real);
            long outageStart = System.nanoTime();
            evaluator.start();
            await().atMost(Duration.ofSeconds(60)).until(evaluator::ready);
            // One sample keeps the alert firing for the 5 minute lookback, longer than this test.
            Labels down = Labels.of("__name__", "up", "job", "outage", "instance", "svc-1:8080");
            producer.send(new ProducerRecord<>(samplesTopic, 0, "0", SeriesBatch.newBuilder().setSeries(List.of(
                    Series.newBuilder().setLabels(down.toList()).setTimestamps(List.of(System.currentTimeMillis()))
                            .setValues(List.of(0.0)).build())).build())).get();
            await().atMost(Duration.ofSeconds(30)).until(() -> !evaluator.groups().get(0).alertingRules().get(0)
                    .activeAlerts().isEmpty());
            Alert firing = evaluator.groups().get(0).alertingRules().get(0).activeAlerts().get(0);
            assertThat(firing.state()).isEqualTo(AlertState.FIRING);
            long firedAt = firing.firedAtMillis();

            // Sends fail and are counted while the Alertmanager is down (re-sent every 5 s).
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> EvaluatorMetrics.NOTIFICATIONS_ERRORS.labelValues(url).get() - errorsBefore >= 2);

            // The outage lasts 2 minutes of wall-clock time, as the fault asks.
            long remainingMillis = OUTAGE.toMillis() - (System.nanoTime() - outageStart) / 1_000_000;
            if (remainingMillis > 0) {
                Thread.sleep(remainingMillis);
            }
            double errorsDuringOutage = EvaluatorMetrics.NOTIFICATIONS_ERRORS.labelValues(url).get() - errorsBefore;
            assertThat(errorsDuringOutage).isGreaterThanOrEqualTo(10);
            double sentBefore = EvaluatorMetrics.NOTIFICATIONS_SENT.labelValues(url).get();

            startAlertmanager();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<JsonNode> alerts = alertsAtAlertmanager(real);
                assertThat(alerts).isNotEmpty();
                JsonNode alert = alerts.get(alerts.size() - 1);
                assertThat(alert.get("labels").get("alertname").asText()).isEqualTo("ServiceDown");
                assertThat(alert.get("labels").get("instance").asText()).isEqualTo("svc-1:8080");
                assertThat(Instant.parse(alert.get("startsAt").asText()).toEpochMilli()).isEqualTo(firedAt);
                assertThat(Instant.parse(alert.get("endsAt").asText())).isAfter(Instant.now());
            });
            // Counted once the sender has read the response, which may be after the Alertmanager stored the alert.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> EvaluatorMetrics.NOTIFICATIONS_SENT.labelValues(url).get() > sentBefore);
            assertThat(evaluator.groups().get(0).alertingRules().get(0).activeAlerts().get(0).firedAtMillis())
                    .isEqualTo(firedAt);
        }
    }
}
