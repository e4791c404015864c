package io.kprom.evaluator;

import io.kprom.common.config.PrometheusConfig;
import io.kprom.common.kafka.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Settings of one alert-evaluator instance. Build with {@link #builder()}; immutable.
 *
 * @param kafkaConfig client settings (at least {@code bootstrap.servers})
 * @param prometheusConfig global evaluation interval, rule query offset, external labels, alerting
 * @param ruleFiles the rule files (already resolved from {@code rule_files})
 * @param samplesTopic where samples are read and ALERTS series written
 * @param alertsTopic where {@code AlertEvent}s go
 * @param stateTopic compacted topic holding durable alert state
 * @param instanceIndex this instance's index among {@code instanceCount} (groups are split by hash)
 * @param instanceCount how many evaluator instances share the rule groups
 * @param clock wall clock in milliseconds (tests pass a controllable one)
 * @param resendDelay Prometheus's {@code --rules.alert.resend-delay}
 * @param externalUrl Prometheus's {@code --web.external-url}, for generatorURL and templates
 * @param tickMillis how often the scheduler checks for due groups
 * @param stateTopicReplication replication factor when creating the state topic
 * @param alertmanagerDiscovery creates the discoverers of each {@code alerting.alertmanagers} entry
 * @param brokerUnreachableAfter how long the broker may be unreachable before {@code ready()} turns false
 */
public record EvaluatorSettings(Map<String, Object> kafkaConfig, PrometheusConfig prometheusConfig, List<Path> ruleFiles,
        String samplesTopic, String alertsTopic, String stateTopic, int instanceIndex, int instanceCount,
        LongSupplier clock, Duration resendDelay, String externalUrl, long tickMillis, int stateTopicReplication,
        AlertmanagerDiscovery alertmanagerDiscovery, Duration brokerUnreachableAfter) {

    public static final String DEFAULT_STATE_TOPIC = "kprom.evaluator.alert-state";

    public EvaluatorSettings {
        kafkaConfig = Map.copyOf(kafkaConfig);
        ruleFiles = List.copyOf(ruleFiles);
        if (instanceCount < 1 || instanceIndex < 0 || instanceIndex >= instanceCount) {
            throw new IllegalArgumentException("instance index " + instanceIndex + " must be in [0, " + instanceCount + ")");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether this instance evaluates the group with the given key ({@code file;name}). */
    boolean owns(String groupKey) {
        return Math.floorMod(io.kprom.common.labels.Labels.of("group", groupKey).stableHash(), instanceCount)
                == instanceIndex;
    }

    /** Builder with kprom's defaults; not thread-safe. */
    public static final class Builder {
        private final Map<String, Object> kafkaConfig = new HashMap<>();
        private PrometheusConfig prometheusConfig = PrometheusConfig.empty();
        private List<Path> ruleFiles = List.of();
        private String samplesTopic = Topics.METRICS_SAMPLES;
        private String alertsTopic = Topics.ALERTS;
        private String stateTopic = DEFAULT_STATE_TOPIC;
        private int instanceIndex;
        private int instanceCount = 1;
        private LongSupplier clock = System::currentTimeMillis;
        private Duration resendDelay = Duration.ofMinutes(1);
        private String externalUrl = "";
        private long tickMillis = 100;
        private int stateTopicReplication = 1;
        private AlertmanagerDiscovery alertmanagerDiscovery = AlertmanagerDiscovery.STANDARD;
        private Duration brokerUnreachableAfter = Duration.ofSeconds(5);

        public Builder bootstrapServers(String servers) {
            kafkaConfig.put("bootstrap.servers", servers);
            return this;
        }

        public Builder kafkaConfig(Map<String, ?> config) {
            kafkaConfig.putAll(config);
            return this;
        }

        public Builder prometheusConfig(PrometheusConfig config) {
            this.prometheusConfig = Objects.requireNonNull(config);
            return this;
        }

        public Builder ruleFiles(List<Path> files) {
            this.ruleFiles = files;
            return this;
        }

        public Builder samplesTopic(String topic) {
            this.samplesTopic = topic;
            return this;
        }

        public Builder alertsTopic(String topic) {
            this.alertsTopic = topic;
            return this;
        }

        public Builder stateTopic(String topic) {
            this.stateTopic = topic;
            return this;
        }

        public Builder instance(int index, int count) {
            this.instanceIndex = index;
            this.instanceCount = count;
            return this;
        }

        public Builder clock(LongSupplier clock) {
            this.clock = clock;
            return this;
        }

        public Builder resendDelay(Duration delay) {
            this.resendDelay = delay;
            return this;
        }

        public Builder externalUrl(String url) {
            this.externalUrl = url;
            return this;
        }

        public Builder tickMillis(long millis) {
            this.tickMillis = millis;
            return this;
        }

        public Builder stateTopicReplication(int replication) {
            this.stateTopicReplication = replication;
            return this;
        }

        /** How Alertmanagers are discovered (default: the scraper's static, file and Kubernetes discoverers). */
        public Builder alertmanagerDiscovery(AlertmanagerDiscovery discovery) {
            this.alertmanagerDiscovery = Objects.requireNonNull(discovery);
            return this;
        }

        /** How long without any answer from the broker before the evaluator reports not ready (default 5 s). */
        public Builder brokerUnreachableAfter(Duration duration) {
            this.brokerUnreachableAfter = Objects.requireNonNull(duration);
            return this;
        }

        public EvaluatorSettings build() {
            return new EvaluatorSettings(kafkaConfig, prometheusConfig, ruleFiles, samplesTopic, alertsTopic, stateTopic,
                    instanceIndex, instanceCount, clock, resendDelay, externalUrl, tickMillis, stateTopicReplication,
                    alertmanagerDiscovery, brokerUnreachableAfter);
        }
    }
}
