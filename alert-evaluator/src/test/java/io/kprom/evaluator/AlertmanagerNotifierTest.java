package io.kprom.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.kprom.common.config.AlertingConfig;
import io.kprom.common.config.PrometheusConfig;
import io.kprom.common.labels.Labels;
import io.kprom.promql.rules.Alert;
import io.kprom.promql.rules.AlertState;
import io.kprom.promql.rules.AlertingRule;
import io.kprom.promql.rules.RuleSpec;
import io.kprom.scraper.scrape.HttpClients;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlertmanagerNotifierTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<JsonNode> batches = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private volatile int status = 200;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            paths.add(exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            batches.add(JSON.readTree(exchange.getRequestBody()));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(0);
        for (AlertmanagerSet set : sets) {
            set.close();
        }
        clients.close();
    }

    private final HttpClients clients = new HttpClients();
    private final List<AlertmanagerSet> sets = new ArrayList<>();

    /** Started sets of the config, once each has discovered its Alertmanagers. */
    private List<AlertmanagerSet> started(AlertingConfig alerting) throws Exception {
        List<AlertmanagerSet> created = AlertmanagerSet.fromConfig(alerting, clients, AlertmanagerDiscovery.STANDARD, () -> {
        });
        sets.addAll(created);
        created.forEach(AlertmanagerSet::start);
        await().atMost(Duration.ofSeconds(10)).until(() -> created.stream().noneMatch(s -> s.endpoints().isEmpty()));
        return created;
    }

    private AlertingConfig alerting(String extra) throws Exception {
        return PrometheusConfig.parse("""
                alerting:
                  alert_relabel_configs:
                    - source_labels: [drop]
                      regex: "yes"
                      action: drop
                  alertmanagers:
                    - path_prefix: /am/
                      basic_auth:
                        username: u
                        password: p
                      static_configs:
                        - targets: ['127.0.0.1:%d']
                """.formatted(server.getAddress().getPort()) + extra, Path.of("prometheus.yml")).alerting();
    }

    private static AlertingRule rule() {
        return new AlertingRule(new RuleSpec.Alerting("A", "up == 0", Duration.ZERO, Duration.ZERO, Labels.EMPTY,
                Map.of()));
    }

    private static Alert alert(int i, String drop) {
        return new Alert(Labels.of("alertname", "A", "i", Integer.toString(i), "drop", drop),
                Map.of("summary", "s" + i), AlertState.FIRING, 1, 1000, 2000, 0, 2000, 242_000, 0);
    }

    @Test
    void sendsBatchesOfAtMost256WithExternalLabelsRelabelingAndAuth() throws Exception {
        AlertingConfig alerting = alerting("");
        try (AlertmanagerNotifier notifier = new AlertmanagerNotifier(started(alerting),
                Labels.of("cluster", "eu1", "i", "external-loses"), alerting.alertRelabelConfigs(), "http://x", 10_000)) {
            List<Alert> alerts = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                alerts.add(alert(i, i % 100 == 0 ? "yes" : "no"));
            }
            notifier.send(rule(), alerts);
            await().atMost(Duration.ofSeconds(20)).until(() -> batches.stream().mapToInt(JsonNode::size).sum() == 594);
        }
        assertThat(batches).allMatch(batch -> batch.size() <= AlertmanagerNotifier.MAX_BATCH);
        assertThat(batches.size()).isGreaterThanOrEqualTo(3);
        assertThat(paths).allMatch(p -> p.equals("/am/api/v2/alerts Basic dTpw"));
        JsonNode first = batches.get(0).get(0);
        assertThat(first.get("labels").get("cluster").asText()).isEqualTo("eu1");
        assertThat(first.get("labels").get("i").asText()).isEqualTo("1");
        assertThat(first.get("startsAt").asText()).isEqualTo("1970-01-01T00:00:02Z");
        assertThat(first.get("endsAt").asText()).isEqualTo("1970-01-01T00:04:02Z");
        assertThat(first.get("generatorURL").asText()).isEqualTo("http://x/graph?g0.expr=up+%3D%3D+0&g0.tab=1");
    }

    @Test
    void eachAlertmanagerEntryAppliesItsOwnAlertRelabelConfigsAfterTheGlobalOnes() throws Exception {
        AlertingConfig alerting = PrometheusConfig.parse("""
                alerting:
                  alert_relabel_configs:
                    - target_label: stage
                      replacement: global
                  alertmanagers:
                    - path_prefix: /first
                      static_configs:
                        - targets: ['127.0.0.1:%1$d']
                      alert_relabel_configs:
                        - source_labels: [i]
                          regex: "0"
                          action: drop
                    - path_prefix: /second
                      static_configs:
                        - targets: ['127.0.0.1:%1$d']
                      alert_relabel_configs:
                        - source_labels: [stage]
                          target_label: seen
                """.formatted(server.getAddress().getPort()), Path.of("prometheus.yml")).alerting();
        try (AlertmanagerNotifier notifier = new AlertmanagerNotifier(started(alerting), Labels.EMPTY,
                alerting.alertRelabelConfigs(), "", 10_000)) {
            notifier.send(rule(), List.of(alert(0, "no"), alert(1, "no")));
            await().atMost(Duration.ofSeconds(20)).until(() -> batches.size() == 2);
        }
        for (int i = 0; i < 2; i++) {
            String path = paths.get(i);
            JsonNode batch = batches.get(i);
            if (path.startsWith("/first/")) {
                assertThat(batch).hasSize(1);
                assertThat(batch.get(0).get("labels").get("i").asText()).isEqualTo("1");
                assertThat(batch.get(0).get("labels").has("seen")).isFalse();
            } else {
                assertThat(path).startsWith("/second/api/v2/alerts");
                assertThat(batch).hasSize(2);
                assertThat(batch.get(0).get("labels").get("seen").asText()).isEqualTo("global");
            }
        }
    }

    @Test
    void fullQueueDropsOldestAndFailuresAreCounted() throws Exception {
        status = 500;
        AlertingConfig alerting = alerting("");
        double droppedBefore = EvaluatorMetrics.NOTIFICATIONS_DROPPED.get();
        try (AlertmanagerNotifier notifier = new AlertmanagerNotifier(started(alerting),
                Labels.EMPTY, List.of(), "", 5)) {
            List<Alert> alerts = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                alerts.add(alert(i, "no"));
            }
            notifier.send(rule(), alerts);
            await().atMost(Duration.ofSeconds(20)).until(() -> notifier.queueLength() == 0
                    && EvaluatorMetrics.NOTIFICATIONS_DROPPED.get() - droppedBefore >= 3 + 5);
        }
        // Retried once: two requests per batch, none accepted.
        assertThat(batches.size()).isEqualTo(2);
        assertThat(batches.get(0).size()).isEqualTo(5);
        assertThat(batches.get(0).get(0).get("labels").get("i").asText()).isEqualTo("4");
    }

    @Test
    void resolvedAlertEndsAtResolution() {
        Alert resolved = new Alert(Labels.of("alertname", "A"), Map.of(), AlertState.INACTIVE, 0, 1000, 2000, 9000,
                9000, 242_000, 0);
        JsonNode payload = AlertmanagerNotifier.payload(resolved.labels(), resolved, "g");
        assertThat(payload.get("endsAt").asText()).isEqualTo("1970-01-01T00:00:09Z");
        assertThat(payload.get("startsAt").asText()).isEqualTo("1970-01-01T00:00:02Z");
    }
}
