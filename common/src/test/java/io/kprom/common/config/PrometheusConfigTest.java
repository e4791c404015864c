package io.kprom.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kprom.common.labels.Labels;
import io.kprom.common.relabel.RelabelAction;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrometheusConfigTest {

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(PrometheusConfigTest.class.getResource("/config/" + name).toURI());
    }

    @Test
    void loadsARealisticKubernetesStackUnchanged() throws Exception {
        PrometheusConfig config = PrometheusConfig.load(resource("kubernetes-stack.yml"));

        assertThat(config.global().scrapeInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.global().externalLabels()).isEqualTo(Labels.of("cluster", "prod-eu-1", "replica", "prometheus-0"));
        assertThat(config.scrapeConfigs()).extracting(ScrapeConfig::jobName).containsExactly("prometheus",
                "kubernetes-apiservers", "kubernetes-nodes", "kubernetes-cadvisor", "kube-state-metrics", "node-exporter",
                "kubernetes-pods");

        ScrapeConfig self = config.scrapeConfigs().get(0);
        assertThat(self.scrapeInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(self.scrapeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(self.metricsPath()).isEqualTo("/metrics");
        assertThat(self.scheme()).isEqualTo("http");
        assertThat(self.honorTimestamps()).isTrue();
        assertThat(self.honorLabels()).isFalse();
        assertThat(self.enableCompression()).isTrue();
        assertThat(self.sampleLimit()).isEqualTo(100000);
        assertThat(self.labelLimit()).isEqualTo(50);
        assertThat(self.scrapeProtocols()).isEqualTo(GlobalConfig.DEFAULT_SCRAPE_PROTOCOLS);

        ScrapeConfig nodes = config.scrapeConfigs().get(2);
        assertThat(nodes.httpClientConfig().authorization().type()).isEqualTo("Bearer");
        assertThat(nodes.httpClientConfig().authorization().credentialsFile())
                .isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount/token");
        assertThat(nodes.httpClientConfig().tlsConfig().insecureSkipVerify()).isTrue();
        assertThat(nodes.kubernetesSdConfigs().get(0).role()).isEqualTo("node");

        ScrapeConfig pods = config.scrapeConfigs().get(6);
        assertThat(pods.relabelConfigs()).hasSize(7);
        assertThat(pods.relabelConfigs().get(0).action()).isEqualTo(RelabelAction.KEEP);
        assertThat(pods.kubernetesSdConfigs().get(0).selectors().get(0).label()).isEqualTo("app.kubernetes.io/part-of=shop");
        assertThat(pods.metricRelabelConfigs().get(1).action()).isEqualTo(RelabelAction.LABELDROP);

        ScrapeConfig nodeExporter = config.scrapeConfigs().get(5);
        assertThat(nodeExporter.scrapeInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(nodeExporter.kubernetesSdConfigs().get(0).namespaces()).containsExactly("monitoring");

        assertThat(config.remoteWrite()).hasSize(1);
        RemoteWriteConfig mimir = config.remoteWrite().get(0);
        assertThat(mimir.queueConfig().maxSamplesPerSend()).isEqualTo(5000);
        assertThat(mimir.queueConfig().minBackoff()).isEqualTo(Duration.ofMillis(30));
        assertThat(mimir.protobufMessage()).isEqualTo(RemoteWriteConfig.PROTOBUF_V1);
        assertThat(mimir.headers()).containsEntry("X-Scope-OrgID", "prod");
        assertThat(config.alerting().alertmanagers().get(0).staticConfigs().get(0).targets()).hasSize(2);
        assertThat(config.ruleFiles()).hasSize(1);
        assertThat(config.ruleFiles().get(0)).endsWith("rules/*.yml");
    }

    @Test
    void invalidUtf8NamesTheLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("prometheus.yml");
        byte[] head = "global:\n  scrape_interval: 15s\n  external_labels:\n    site: caf".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] bytes = java.util.Arrays.copyOf(head, head.length + 3);
        bytes[head.length] = (byte) 0xc3;
        bytes[head.length + 1] = (byte) 0x28;
        bytes[head.length + 2] = '\n';
        Files.write(file, bytes);
        assertThatThrownBy(() -> PrometheusConfig.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":4: invalid UTF-8 (byte 0xc3 at offset " + head.length
                        + "); the configuration file must be UTF-8");
    }

    @Test
    void emptyFileGivesPrometheusDefaults() throws Exception {
        PrometheusConfig config = PrometheusConfig.parse("", null);
        assertThat(config.global().scrapeInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.global().scrapeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.global().evaluationInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.scrapeConfigs()).isEmpty();
    }

    @Test
    void shortIntervalCapsDefaultTimeout() throws Exception {
        PrometheusConfig config = PrometheusConfig.parse("""
                scrape_configs:
                  - job_name: fast
                    scrape_interval: 5s
                """, null);
        assertThat(config.scrapeConfigs().get(0).scrapeTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of("typo in a scrape field", """
                        scrape_configs:
                          - job_name: a
                            scrape_intervall: 10s
                        """, "bad.yml:3: scrape_configs[0].scrape_intervall: field scrape_intervall not found (did you mean scrape_interval?)"),
                Arguments.of("typo at top level", """
                        global:
                          scrape_interval: 10s
                        scrape_config:
                          - job_name: a
                        """, "bad.yml:3: scrape_config: field scrape_config not found (did you mean scrape_configs?)"),
                Arguments.of("bad duration", """
                        global:
                          scrape_interval: 10 seconds
                        """, "bad.yml:2: global.scrape_interval: not a valid duration string: \\\"10 seconds\\\""),
                Arguments.of("timeout above interval", """
                        scrape_configs:
                          - job_name: a
                            scrape_interval: 5s
                            scrape_timeout: 10s
                        """, "bad.yml:4: scrape_configs[0].scrape_timeout: scrape timeout greater than scrape interval for scrape config with job name \\\"a\\\""),
                Arguments.of("duplicate job", """
                        scrape_configs:
                          - job_name: a
                          - job_name: a
                        """, "bad.yml:3: scrape_configs[1]: found multiple scrape configs with job name \\\"a\\\""),
                Arguments.of("bad relabel action", """
                        scrape_configs:
                          - job_name: a
                            relabel_configs:
                              - action: replaceall
                        """, "bad.yml:4: scrape_configs[0].relabel_configs[0].action: unknown relabel action \\\"replaceall\\\""),
                Arguments.of("bad relabel regex", """
                        scrape_configs:
                          - job_name: a
                            metric_relabel_configs:
                              - source_labels: [__name__]
                                regex: 'a(b'
                                action: drop
                        """, "bad.yml:5: scrape_configs[0].metric_relabel_configs[0].regex: error parsing regexp: missing closing )"),
                Arguments.of("hashmod without modulus", """
                        scrape_configs:
                          - job_name: a
                            relabel_configs:
                              - source_labels: [__address__]
                                target_label: shard
                                action: hashmod
                        """, "bad.yml:4: scrape_configs[0].relabel_configs[0]: relabel configuration for hashmod requires non-zero modulus"),
                Arguments.of("boolean typo", """
                        scrape_configs:
                          - job_name: a
                            honor_labels: yes please
                        """, "bad.yml:3: scrape_configs[0].honor_labels: cannot unmarshal \\\"yes please\\\" into a boolean (use true or false)"),
                Arguments.of("bad scheme", """
                        scrape_configs:
                          - job_name: a
                            scheme: ftp
                        """, "bad.yml:3: scrape_configs[0].scheme: unknown scrape config scheme \\\"ftp\\\" (use http or https)"),
                Arguments.of("missing job name", """
                        scrape_configs:
                          - scrape_interval: 5s
                        """, "bad.yml:2: scrape_configs[0]: job_name is empty"),
                Arguments.of("bad kubernetes role", """
                        scrape_configs:
                          - job_name: a
                            kubernetes_sd_configs:
                              - role: deployment
                        """, "bad.yml:4: scrape_configs[0].kubernetes_sd_configs[0].role: unknown Kubernetes SD role \\\"deployment\\\""),
                Arguments.of("remote write without url", """
                        remote_write:
                          - name: x
                        """, "bad.yml:2: remote_write[0]: url for remote_write is empty"),
                Arguments.of("unknown scrape protocol", """
                        global:
                          scrape_protocols: [PrometheusText9]
                        """, "bad.yml:2: global.scrape_protocols[0]: unknown scrape protocol PrometheusText9"),
                Arguments.of("list where a mapping belongs", """
                        global:
                          - a
                        """, "bad.yml:2: global: expected a mapping, got a list"),
                Arguments.of("duplicate key", """
                        global:
                          scrape_interval: 1s
                          scrape_interval: 2s
                        """, "bad.yml:3: global.scrape_interval: mapping key \\\"scrape_interval\\\" already defined"),
                Arguments.of("invalid yaml", "global: [a\n", "bad.yml:2: invalid YAML"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void badConfigNamesFileLineAndField(String name, String yaml, String expectedMessage) {
        assertThatThrownBy(() -> PrometheusConfig.parse(yaml, Path.of("bad.yml")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(expectedMessage.replace("\\\"", "\""));
    }

    @Test
    void ruleFileGlobsResolveAgainstConfigDirectory(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("rules"));
        Files.writeString(dir.resolve("rules/b.yml"), "groups: []\n");
        Files.writeString(dir.resolve("rules/a.yml"), "groups: []\n");
        Files.writeString(dir.resolve("rules/skip.txt"), "");
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, "rule_files: ['rules/*.yml']\n");
        PrometheusConfig config = PrometheusConfig.load(file);
        assertThat(config.resolvedRuleFiles()).containsExactly(dir.resolve("rules/a.yml"), dir.resolve("rules/b.yml"));
    }

    @Test
    void scrapeConfigFilesAreIncluded(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("extra.yml"), "scrape_configs:\n  - job_name: extra\n");
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, "scrape_config_files: ['extra.yml']\nscrape_configs:\n  - job_name: main\n");
        assertThat(PrometheusConfig.load(file).scrapeConfigs()).extracting(ScrapeConfig::jobName)
                .containsExactly("main", "extra");
    }

    static Stream<Arguments> durations() {
        return Stream.of(Arguments.of("1m30s", 90_000L), Arguments.of("1d", 86_400_000L), Arguments.of("0", 0L),
                Arguments.of("1w", 604_800_000L), Arguments.of("1y", 31_536_000_000L), Arguments.of("250ms", 250L),
                Arguments.of("1h2m3s4ms", 3_723_004L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("durations")
    void parsesPrometheusDurations(String text, long millis) {
        assertThat(PromDuration.parse(text).toMillis()).isEqualTo(millis);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"", "1.5s", "1s1m", "-1s", "5", "1 m"})
    void rejectsInvalidDurations(String text) {
        assertThatThrownBy(() -> PromDuration.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsDurationsLikePrometheus() {
        assertThat(List.of(Duration.ofSeconds(90), Duration.ZERO, Duration.ofDays(14), Duration.ofMillis(1500)))
                .extracting(PromDuration::format).containsExactly("1m30s", "0s", "2w", "1s500ms");
    }

    @Test
    void parsesSizes() {
        assertThat(PromSize.parse("10MB")).isEqualTo(10L << 20);
        assertThat(PromSize.parse("512KiB")).isEqualTo(512L << 10);
        assertThat(PromSize.parse("0")).isZero();
        assertThatThrownBy(() -> PromSize.parse("ten")).isInstanceOf(IllegalArgumentException.class);
    }
}
