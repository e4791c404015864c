package io.kprom.sink.storage;

import java.util.Objects;

/**
 * A partition of the log the store is fed from (a Kafka topic partition), named without Kafka types
 * so the store does not depend on a client library. Immutable.
 *
 * @param topic topic name
 * @param partition partition number, {@code >= 0}
 */
public record SourcePartition(String topic, int partition) {
    public SourcePartition {
        Objects.requireNonNull(topic, "topic");
        if (topic.isEmpty() || topic.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("topic must be non-empty and free of NUL: '" + topic + "'");
        }
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0, got " + partition);
        }
    }

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
