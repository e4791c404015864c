package io.kprom.evaluator;

import io.kprom.common.labels.Labels;
import io.kprom.promql.rules.RuleResultAppender;
import io.kprom.schemas.avro.Series;
import io.kprom.schemas.avro.SeriesBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes what rules produce ({@code ALERTS}, {@code ALERTS_FOR_STATE}, stale markers) to
 * {@code metrics.samples} as {@link SeriesBatch} records, one per shard per commit, keyed and
 * partitioned like the processor does: shard = {@code Labels.stableHash()} mod the partition count,
 * key = the shard number in decimal. Used on one evaluation thread at a time.
 */
final class SeriesBatchAppender implements RuleResultAppender {
    private final Producer<String, SeriesBatch> producer;
    private final String topic;
    private final int partitions;
    private final Map<Integer, List<Series>> pending = new HashMap<>();

    SeriesBatchAppender(Producer<String, SeriesBatch> producer, String topic, int partitions) {
        this.producer = producer;
        this.topic = topic;
        this.partitions = partitions;
    }

    @Override
    public void append(Labels labels, long timestampMillis, double value) {
        int shard = (int) Long.remainderUnsigned(labels.stableHash(), partitions);
        pending.computeIfAbsent(shard, s -> new ArrayList<>()).add(Series.newBuilder()
                .setLabels(labels.toList())
                .setTimestamps(List.of(timestampMillis))
                .setValues(List.of(value))
                .build());
    }

    @Override
    public void commit() {
        for (Map.Entry<Integer, List<Series>> entry : pending.entrySet()) {
            producer.send(new ProducerRecord<>(topic, entry.getKey(), Integer.toString(entry.getKey()),
                    SeriesBatch.newBuilder().setSeries(entry.getValue()).build()));
        }
        pending.clear();
    }
}
