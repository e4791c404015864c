package io.kprom.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.config.PrometheusConfig;
import io.kprom.common.labels.Labels;
import io.kprom.processor.config.JobPolicy;
import io.kprom.processor.config.ProcessorSettings;
import io.kprom.processor.rules.RecordingGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrometheusConfigSettingsTest {
    @TempDir
    Path dir;

    @Test
    void jobsAndRecordingGroupsComeFromPrometheusYml() throws Exception {
        Files.writeString(dir.resolve("rules.yml"), """
                groups:
                  - name: api
                    rules:
                      - record: job:http_requests:rate5m
                        expr: sum by (job) (rate(http_requests_total[5m]))
                      - alert: HighErrors
                        expr: job:http_requests:rate5m > 100
                  - name: alerts_only
                    rules:
                      - alert: Down
                        expr: up == 0
                """);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 30s
                  evaluation_interval: 20s
                  sample_limit: 1000
                rule_files: [rules.yml]
                scrape_configs:
                  - job_name: node
                    honor_labels: true
                    label_limit: 30
                    static_configs: [{targets: ['localhost:9100']}]
                    metric_relabel_configs:
                      - source_labels: [__name__]
                        regex: go_.*
                        action: drop
                """);
        ProcessorSettings settings = ProcessorComponent.settingsFor(PrometheusConfig.load(config),
                ProcessorOptions.of("localhost:9092", "app", dir.toString()));
        JobPolicy node = settings.policy("node");
        assertThat(node.honorLabels()).isTrue();
        assertThat(node.sampleLimit()).isEqualTo(1000);
        assertThat(node.labelLimit()).isEqualTo(30);
        assertThat(node.scrapeIntervalMillis()).isEqualTo(30_000);
        assertThat(node.relabeling().apply(Labels.of("__name__", "go_gc_duration_seconds"))).isNull();
        assertThat(node.relabeling().apply(Labels.of("__name__", "node_load1"))).isEqualTo(Labels.of("__name__", "node_load1"));

        assertThat(settings.ruleGroups()).hasSize(1);
        RecordingGroup group = settings.ruleGroups().get(0);
        assertThat(group.rules()).extracting(r -> r.record()).containsExactly("job:http_requests:rate5m");
        assertThat(group.intervalMillis()).isEqualTo(20_000);
        assertThat(group.queryOffsetMillis()).isEqualTo(ProcessorSettings.DEFAULT_RULE_QUERY_OFFSET.toMillis());
        assertThat(group.windowMillis()).isEqualTo(600_000);
        assertThat(group.selects(Labels.of("__name__", "http_requests_total", "job", "api"))).isTrue();
        assertThat(group.selects(Labels.of("__name__", "up"))).isFalse();
    }
}
