package io.kprom.common.kafka;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The settings kprom wants one topic to have: partition count, replication factor and topic configs
 * ({@code cleanup.policy}, {@code retention.ms}, {@code compression.type}, {@code max.message.bytes}, ...).
 * Immutable.
 */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String RETENTION_MS = "retention.ms";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name is empty");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be at least 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("topic " + name + ": replication factor must be at least 1, got " + replicationFactor);
        }
        configs = java.util.Collections.unmodifiableMap(new TreeMap<>(configs));
    }

    public TopicSpec withPartitions(int newPartitions) {
        return new TopicSpec(name, newPartitions, replicationFactor, configs);
    }

    public TopicSpec withReplicationFactor(short newReplicationFactor) {
        return new TopicSpec(name, partitions, newReplicationFactor, configs);
    }

    /** This spec with one topic config set (or replaced). */
    public TopicSpec withConfig(String key, String value) {
        Map<String, String> changed = new TreeMap<>(configs);
        changed.put(key, value);
        return new TopicSpec(name, partitions, replicationFactor, changed);
    }
}
