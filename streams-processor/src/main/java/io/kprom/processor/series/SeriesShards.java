package io.kprom.processor.series;

import io.kprom.common.labels.Labels;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Maps a series to its shard: {@code Labels.stableHash()} modulo the partition count of
 * {@code metrics.samples}, so each series lives in exactly one partition. Records carrying series
 * are keyed by the decimal shard number; {@link #partitioner()} sends them to that partition.
 */
public final class SeriesShards {
    private SeriesShards() {
    }

    public static int shardOf(long stableHash, int shards) {
        return (int) Long.remainderUnsigned(stableHash, shards);
    }

    public static int shardOf(Labels labels, int shards) {
        return shardOf(labels.stableHash(), shards);
    }

    public static String key(int shard) {
        return Integer.toString(shard);
    }

    /**
     * Partitioner for records keyed by {@link #key(int)}. The shard count the producer used must
     * equal the topic's partition count; a mismatch is a configuration error and fails loudly.
     */
    public static <V> StreamPartitioner<String, V> partitioner() {
        return new StreamPartitioner<>() {
            @Override
            public java.util.Optional<java.util.Set<Integer>> partitions(String topic, String key, V value, int numPartitions) {
                int shard = Integer.parseInt(key);
                if (shard >= numPartitions) {
                    throw new IllegalStateException("shard " + shard + " does not exist in " + topic + " with "
                            + numPartitions + " partitions: the processor's shard count must equal the partition count");
                }
                return java.util.Optional.of(java.util.Set.of(shard));
            }
        };
    }
}
