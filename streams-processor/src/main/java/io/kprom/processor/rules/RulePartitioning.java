package io.kprom.processor.rules;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Which partition of the rule-input topic (and so which rule-stage task) owns a group:
 * murmur2 of the group name modulo the partition count, as Kafka's default partitioner.
 */
public final class RulePartitioning {
    private RulePartitioning() {
    }

    public static int partitionOf(String groupName, int partitions) {
        return Utils.toPositive(Utils.murmur2(groupName.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    public static <V> StreamPartitioner<String, V> partitioner() {
        return new StreamPartitioner<>() {
            @Override
            public java.util.Optional<java.util.Set<Integer>> partitions(String topic, String key, V value, int numPartitions) {
                return java.util.Optional.of(java.util.Set.of(partitionOf(key, numPartitions)));
            }
        };
    }
}
