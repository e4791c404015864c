package io.kprom.scraper.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.config.ScrapeConfig;
import io.kprom.common.config.TargetGroup;
import io.kprom.common.labels.Labels;
import io.kprom.scraper.TestConfigs;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TargetBuilderTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("defaults", """
                          - job_name: node
                        """, Labels.of("__address__", "10.0.0.1:9100"),
                        "{__address__=\"10.0.0.1:9100\", __metrics_path__=\"/metrics\", __scheme__=\"http\", "
                                + "__scrape_interval__=\"1m\", __scrape_timeout__=\"10s\", instance=\"10.0.0.1:9100\", job=\"node\"}",
                        "http://10.0.0.1:9100/metrics"),
                Arguments.of("config overrides and params", """
                          - job_name: blackbox
                            scrape_interval: 30s
                            scrape_timeout: 5s
                            metrics_path: /probe
                            scheme: https
                            params:
                              module: [http_2xx, other]
                        """, Labels.of("__address__", "prober:9115", "team", "a"),
                        "{__address__=\"prober:9115\", __metrics_path__=\"/probe\", __param_module=\"http_2xx\", "
                                + "__scheme__=\"https\", __scrape_interval__=\"30s\", __scrape_timeout__=\"5s\", "
                                + "instance=\"prober:9115\", job=\"blackbox\", team=\"a\"}",
                        "https://prober:9115/probe?module=http_2xx&module=other"),
                Arguments.of("meta labels removed, discovered labels win over defaults", """
                          - job_name: pods
                        """, Labels.of("__address__", "10.1.1.1:8080", "__meta_kubernetes_pod_name", "p",
                                "__metrics_path__", "/custom", "job", "other"),
                        "{__address__=\"10.1.1.1:8080\", __metrics_path__=\"/custom\", __scheme__=\"http\", "
                                + "__scrape_interval__=\"1m\", __scrape_timeout__=\"10s\", instance=\"10.1.1.1:8080\", job=\"other\"}",
                        "http://10.1.1.1:8080/custom"),
                Arguments.of("relabel sets address, param and instance", """
                          - job_name: probe
                            params:
                              module: [m1]
                            relabel_configs:
                              - source_labels: [__address__]
                                target_label: __param_target
                              - source_labels: [__param_target]
                                target_label: instance
                              - target_label: __address__
                                replacement: blackbox:9115
                        """, Labels.of("__address__", "https://example.com"),
                        "{__address__=\"blackbox:9115\", __metrics_path__=\"/metrics\", __param_module=\"m1\", "
                                + "__param_target=\"https://example.com\", __scheme__=\"http\", __scrape_interval__=\"1m\", "
                                + "__scrape_timeout__=\"10s\", instance=\"https://example.com\", job=\"probe\"}",
                        "http://blackbox:9115/metrics?module=m1&target=https%3A%2F%2Fexample.com"),
                Arguments.of("interval relabeled per target", """
                          - job_name: fast
                            relabel_configs:
                              - target_label: __scrape_interval__
                                replacement: 15s
                              - target_label: __scrape_timeout__
                                replacement: 3s
                        """, Labels.of("__address__", "a:1"),
                        "{__address__=\"a:1\", __metrics_path__=\"/metrics\", __scheme__=\"http\", __scrape_interval__=\"15s\", "
                                + "__scrape_timeout__=\"3s\", instance=\"a:1\", job=\"fast\"}",
                        "http://a:1/metrics"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void populatesLabelsLikePrometheus(String name, String yaml, Labels discovered, String expectedLabels, String url) {
        ScrapeConfig config = TestConfigs.scrape(yaml);
        TargetBuilder.Result result = TargetBuilder.populate(config, discovered.toBuilder());
        assertThat(result.error()).isNull();
        assertThat(result.target()).isNotNull();
        assertThat(result.target().labels().toString()).isEqualTo(expectedLabels);
        assertThat(result.target().url()).isEqualTo(url);
        assertThat(result.target().publicLabels().names()).allSatisfy(n -> assertThat(n).doesNotStartWith("__"));
    }

    static Stream<Arguments> dropped() {
        return Stream.of(
                Arguments.of("dropped by keep", """
                          - job_name: j
                            relabel_configs:
                              - source_labels: [__meta_keep]
                                regex: "yes"
                                action: keep
                        """, Labels.of("__address__", "a:1", "__meta_keep", "no"), null),
                Arguments.of("no address", """
                          - job_name: j
                            relabel_configs:
                              - regex: __address__
                                action: labeldrop
                        """, Labels.of("__address__", "a:1"), "no address"),
                Arguments.of("address with path", """
                          - job_name: j
                        """, Labels.of("__address__", "a:1/x"), "\"a:1/x\" is not a valid hostname"),
                Arguments.of("timeout above interval", """
                          - job_name: j
                            relabel_configs:
                              - target_label: __scrape_timeout__
                                replacement: 2m
                        """, Labels.of("__address__", "a:1"),
                        "scrape timeout cannot be greater than scrape interval (\"2m\" > \"1m\")"),
                Arguments.of("zero interval", """
                          - job_name: j
                            relabel_configs:
                              - target_label: __scrape_interval__
                                replacement: 0s
                        """, Labels.of("__address__", "a:1"), "scrape interval cannot be 0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dropped")
    void dropsInvalidOrFilteredTargets(String name, String yaml, Labels discovered, String error) {
        TargetBuilder.Result result = TargetBuilder.populate(TestConfigs.scrape(yaml), discovered.toBuilder());
        assertThat(result.dropped()).isTrue();
        assertThat(result.error()).isEqualTo(error);
        assertThat(result.discoveredLabels().get("__address__")).isEqualTo(discovered.get("__address__"));
    }

    @Test
    void groupLabelsApplyToEveryTargetAndHashesAreStable() {
        ScrapeConfig config = TestConfigs.scrape("""
                  - job_name: j
                """);
        TargetGroup group = new TargetGroup(List.of("a:1", "b:2"), Labels.of("env", "prod"), "g");
        List<TargetBuilder.Result> results = TargetBuilder.fromGroup(config, group);
        assertThat(results).extracting(r -> r.target().publicLabels().toString()).containsExactly(
                "{env=\"prod\", instance=\"a:1\", job=\"j\"}", "{env=\"prod\", instance=\"b:2\", job=\"j\"}");
        Target first = results.get(0).target();
        Target again = TargetBuilder.fromGroup(config, group).get(0).target();
        assertThat(again.hash()).isEqualTo(first.hash());
        assertThat(again.identity()).isEqualTo(first.identity()).startsWith("j/a:1#");
        assertThat(first.shard(7)).isBetween(0, 6);
    }
}
