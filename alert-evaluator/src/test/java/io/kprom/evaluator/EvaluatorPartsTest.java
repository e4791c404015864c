package io.kprom.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.Labels;
import io.kprom.promql.engine.PromqlEngine;
import io.kprom.promql.engine.QueryOptions;
import io.kprom.promql.rules.Alert;
import io.kprom.promql.rules.AlertState;
import io.kprom.promql.rules.RuleGroup;
import io.kprom.promql.rules.RuleGroupSpec;
import io.kprom.promql.rules.RuleSpec;
import io.kprom.promql.storage.Querier;
import io.kprom.promql.storage.SeriesSet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluatorPartsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RuleGroupSpec spec() {
        return new RuleGroupSpec(Path.of("r.yml"), "g", Duration.ofSeconds(15), null, 0, Labels.EMPTY, List.of(
                new RuleSpec.Recording("job:up:sum", "sum by (job) (up)", Labels.EMPTY),
                new RuleSpec.Alerting("Down", "up{job=\"node\"} == 0", Duration.ofMinutes(1), Duration.ZERO,
                        Labels.of("severity", "page"), Map.of("summary", "{{ $labels.instance }}")),
                new RuleSpec.Alerting("Slow", "rate(http_seconds_sum[10m] offset 5m) > 1", Duration.ZERO,
                        Duration.ZERO, Labels.EMPTY, Map.of())));
    }

    @Test
    void selectorsKeepOnlySeriesRulesCanSelectAndMeasureLookback() {
        RuleSelectors selectors = RuleSelectors.of(List.of(spec()));
        assertThat(selectors.matches(Labels.of("__name__", "up", "job", "x"))).isTrue();
        assertThat(selectors.matches(Labels.of("__name__", "http_seconds_sum"))).isTrue();
        assertThat(selectors.matches(Labels.of("__name__", "other"))).isFalse();
        assertThat(selectors.maxLookbackMillis()).isEqualTo(15 * 60_000);
    }

    @Test
    void windowDropsOutOfOrderAndEvicts() {
        WindowStore window = new WindowStore(60_000);
        Labels up = Labels.of("__name__", "up");
        assertThat(window.append(up, 1000, 1)).isTrue();
        assertThat(window.append(up, 1000, 2)).isFalse();
        assertThat(window.append(up, 90_000, 3)).isTrue();
        window.evict(100_000);
        try (Querier querier = window.querier(0, 200_000);
                SeriesSet set = querier.select(true, null, List.of(LabelMatcher.equal("__name__", "up")))) {
            assertThat(set.next()).isTrue();
            assertThat(set.samples().length()).isEqualTo(1);
            assertThat(set.samples().timestamp(0)).isEqualTo(90_000);
        }
        window.evict(1_000_000);
        assertThat(window.seriesCount()).isZero();
    }

    @Test
    void stateRecordsRoundTrip() {
        Alert alert = new Alert(Labels.of("alertname", "A", "x", "1"), Map.of("s", "t"), AlertState.FIRING, Double.NaN,
                1, 2, 0, 4, 5, 6);
        Alert decoded = AlertStateStore.decode(AlertStateStore.encode(alert));
        assertThat(decoded.labels()).isEqualTo(alert.labels());
        assertThat(decoded.annotations()).isEqualTo(alert.annotations());
        assertThat(decoded.state()).isEqualTo(AlertState.FIRING);
        assertThat(decoded.value()).isNaN();
        assertThat(List.of(decoded.activeAtMillis(), decoded.firedAtMillis(), decoded.resolvedAtMillis(),
                decoded.lastSentAtMillis(), decoded.validUntilMillis(), decoded.keepFiringSinceMillis()))
                .containsExactly(1L, 2L, 0L, 4L, 5L, 6L);
    }

    @Test
    void rulesAndAlertsApiUsePrometheusShapes() throws Exception {
        WindowStore window = new WindowStore(600_000);
        window.append(Labels.of("__name__", "up", "job", "node", "instance", "a"), 0, 0);
        RuleGroup group = RuleGroup.builder(spec()).queryEngine(new PromqlEngine(), window, QueryOptions.defaults())
                .build();
        group.evaluate(15_000);
        try (io.kprom.common.http.HttpServer server = io.kprom.common.http.HttpServer.builder()
                .listenAddress("127.0.0.1:0")
                .route("/api/v1/rules", RulesApi.rulesHandler(() -> List.of(group)))
                .route("/api/v1/alerts", RulesApi.alertsHandler(() -> List.of(group))).build().start()) {
            JsonNode rules = get(server.port(), "/api/v1/rules");
            assertThat(rules.get("status").asText()).isEqualTo("success");
            JsonNode groupNode = rules.get("data").get("groups").get(0);
            assertThat(groupNode.get("name").asText()).isEqualTo("g");
            assertThat(groupNode.get("file").asText()).isEqualTo("r.yml");
            assertThat(groupNode.get("interval").asDouble()).isEqualTo(15);
            JsonNode down = groupNode.get("rules").get(1);
            assertThat(down.get("type").asText()).isEqualTo("alerting");
            assertThat(down.get("state").asText()).isEqualTo("pending");
            assertThat(down.get("duration").asDouble()).isEqualTo(60);
            assertThat(down.get("health").asText()).isEqualTo("ok");
            assertThat(down.get("alerts").get(0).get("value").asText()).isEqualTo("0e+00");
            assertThat(down.get("alerts").get(0).get("activeAt").asText()).isEqualTo("1970-01-01T00:00:15Z");
            assertThat(groupNode.get("rules").get(0).get("type").asText()).isEqualTo("recording");

            JsonNode record = get(server.port(), "/api/v1/rules?type=record");
            assertThat(record.get("data").get("groups").get(0).get("rules").size()).isEqualTo(1);
            JsonNode alerts = get(server.port(), "/api/v1/alerts");
            assertThat(alerts.get("data").get("alerts").get(0).get("labels").get("alertname").asText()).isEqualTo("Down");
            assertThat(alerts.get("data").get("alerts").get(0).get("annotations").get("summary").asText()).isEqualTo("a");
            assertThat(get(server.port(), "/api/v1/rules?type=bogus").get("errorType").asText()).isEqualTo("bad_data");
        }
    }

    private static JsonNode get(int port, String path) throws Exception {
        return JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void groupsAreSplitOverInstancesByKey() {
        int owners = 0;
        for (int index = 0; index < 3; index++) {
            EvaluatorSettings settings = EvaluatorSettings.builder().instance(index, 3).build();
            owners += settings.owns("r.yml;g") ? 1 : 0;
        }
        assertThat(owners).isEqualTo(1);
    }
}
