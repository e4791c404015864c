package io.kprom.sink.ingest;

import io.kprom.common.kafka.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of a {@link SamplesConsumer}. Immutable; build with {@link #builder(String)}.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param topic topic of {@code SeriesBatch} records (default {@code metrics.samples})
 * @param groupId consumer group: replicas of one sink share partitions through it
 * @param pollTimeout longest wait in one poll
 * @param stuckAfter the consumer counts as stuck when it has lag but made no progress for this long
 * @param consumerOverrides extra Kafka consumer properties (applied last)
 * @param assignment {@link Assignment#GROUP}: partitions are shared among replicas through the consumer
 *        group (rebalancing); {@link Assignment#ALL_PARTITIONS}: this sink reads every partition of the
 *        topic without group membership, so a restart resumes at once (single replica or HA pairs)
 */
public record IngestOptions(String bootstrapServers, String topic, String groupId, Duration pollTimeout,
                            Duration stuckAfter, Map<String, Object> consumerOverrides, Assignment assignment) {
    /** How partitions are assigned to this sink. */
    public enum Assignment { GROUP, ALL_PARTITIONS }

    public IngestOptions {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(pollTimeout, "pollTimeout");
        Objects.requireNonNull(stuckAfter, "stuckAfter");
        Objects.requireNonNull(assignment, "assignment");
        consumerOverrides = Map.copyOf(consumerOverrides);
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers must not be blank");
        }
    }

    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    /** Mutable builder. Not thread-safe. */
    public static final class Builder {
        private final String bootstrapServers;
        private String topic = Topics.METRICS_SAMPLES;
        private String groupId = "kprom-sink";
        private Duration pollTimeout = Duration.ofMillis(500);
        private Duration stuckAfter = Duration.ofMinutes(2);
        private Map<String, Object> consumerOverrides = Map.of();
        private Assignment assignment = Assignment.GROUP;

        private Builder(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
        }

        public Builder topic(String value) {
            topic = value;
            return this;
        }

        public Builder groupId(String value) {
            groupId = value;
            return this;
        }

        public Builder pollTimeout(Duration value) {
            pollTimeout = value;
            return this;
        }

        public Builder stuckAfter(Duration value) {
            stuckAfter = value;
            return this;
        }

        public Builder consumerOverrides(Map<String, Object> value) {
            consumerOverrides = value;
            return this;
        }

        public Builder assignment(Assignment value) {
            assignment = value;
            return this;
        }

        public IngestOptions build() {
            return new IngestOptions(bootstrapServers, topic, groupId, pollTimeout, stuckAfter, consumerOverrides,
                    assignment);
        }
    }
}
