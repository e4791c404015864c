package io.kprom.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicCatalogueTest {
    private final TopicCatalogue defaults = TopicCatalogue.defaults();

    @Test
    void cataloguesEveryTopic() {
        assertThat(defaults.topics()).extracting(TopicSpec::name).containsExactly(
                Topics.METRICS_RAW, Topics.METRICS_SAMPLES, Topics.METRICS_METADATA, Topics.SCRAPE_SHARDS, Topics.ALERTS);
        assertThat(defaults.topics()).allSatisfy(spec -> assertThat(spec.configs()).containsKeys(
                TopicSpec.CLEANUP_POLICY, TopicSpec.RETENTION_MS, TopicSpec.COMPRESSION_TYPE, TopicSpec.MAX_MESSAGE_BYTES));
        assertThat(defaults.topic(Topics.METRICS_METADATA).configs()).containsEntry(TopicSpec.CLEANUP_POLICY, "compact");
    }

    @Test
    void producerRequestsFitTheLargestTopic() {
        long largest = defaults.topics().stream()
                .mapToLong(spec -> Long.parseLong(spec.configs().get(TopicSpec.MAX_MESSAGE_BYTES))).max().orElseThrow();
        assertThat((Integer) KafkaClientDefaults.producer("b:9092", Map.of()).get("max.request.size")).isGreaterThanOrEqualTo((int) largest);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "kprom.topic.metrics.raw.partitions, 24, metrics.raw, partitions, 24",
        "kprom.topic.metrics.raw.replication.factor, 3, metrics.raw, replication.factor, 3",
        "kprom.topic.metrics.samples.config.retention.ms, 3600000, metrics.samples, retention.ms, 3600000",
        "kprom.topic.alerts.config.min.insync.replicas, 2, alerts, min.insync.replicas, 2",
        "kprom.topic.scrape.shards.partitions, 64, scrape.shards, partitions, 64",
    })
    void overridesOneSetting(String key, String value, String topic, String setting, String expected) {
        TopicSpec spec = defaults.withOverrides(Map.of(key, value)).topic(topic);
        String actual = switch (setting) {
            case "partitions" -> Integer.toString(spec.partitions());
            case "replication.factor" -> Short.toString(spec.replicationFactor());
            default -> spec.configs().get(setting);
        };
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void replicationForAllTopicsThenPerTopic() {
        TopicCatalogue catalogue = defaults.withOverrides(Map.of(
                TopicCatalogue.REPLICATION_FACTOR_ALL, 3,
                "kprom.topic.alerts.replication.factor", "2",
                "bootstrap.servers", "ignored:9092"));
        assertThat(catalogue.topic(Topics.METRICS_RAW).replicationFactor()).isEqualTo((short) 3);
        assertThat(catalogue.topic(Topics.ALERTS).replicationFactor()).isEqualTo((short) 2);
        assertThat(defaults.topic(Topics.METRICS_RAW).replicationFactor()).as("defaults unchanged").isEqualTo((short) 1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "kprom.topic.metrics.unknown.partitions, 3, names no kprom topic",
        "kprom.topic.metrics.raw.shards, 3, unknown setting 'shards'",
        "kprom.topic.metrics.raw.partitions, many, not a whole number",
        "kprom.topic.metrics.raw.partitions, 0, partitions must be at least 1",
        "kprom.topics.replication.factor, 0, out of range",
    })
    void badOverridesSayWhatIsWrong(String key, String value, String message) {
        assertThatThrownBy(() -> defaults.withOverrides(Map.of(key, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
