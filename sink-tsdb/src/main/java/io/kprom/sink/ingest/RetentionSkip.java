package io.kprom.sink.ingest;

import io.kprom.sink.storage.Appender;
import io.kprom.sink.storage.SourcePartition;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles a fetch position out of range. Below the log start it means Kafka's retention deleted
 * records before the sink read them: the gap is counted in
 * {@code kprom_sink_records_dropped_total{reason="retention"}} (records; their sample count is
 * unknowable), logged once with partition and offsets, the consumer moved to the log start and that
 * position stored with the data, so a restart does not count the same gap again. Beyond the log end
 * (the topic was recreated or truncated) the partition is read from its beginning, as Kafka's
 * {@code auto.offset.reset=earliest} would. Used by the consuming thread only; not thread-safe.
 */
final class RetentionSkip {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionSkip.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /**
     * Repositions the given partitions (fetch positions that were out of range) and returns how many
     * records were lost to retention.
     */
    long skip(Consumer<?, ?> consumer, Map<TopicPartition, Long> outOfRange, Appender appender) {
        Map<TopicPartition, Long> starts = consumer.beginningOffsets(outOfRange.keySet(), TIMEOUT);
        Map<TopicPartition, Long> ends = consumer.endOffsets(outOfRange.keySet(), TIMEOUT);
        Map<SourcePartition, Long> newPositions = new HashMap<>();
        long lost = 0;
        for (Map.Entry<TopicPartition, Long> entry : outOfRange.entrySet()) {
            TopicPartition partition = entry.getKey();
            long position = entry.getValue();
            Long start = starts.get(partition);
            if (start != null && position < start) {
                long gap = start - position;
                lost += gap;
                IngestMetrics.RECORDS_DROPPED.labelValues("retention").inc(gap);
                LOG.warn("{} records of {} (offsets {}..{}) were deleted by retention before the sink read them;"
                        + " they are lost and counted as kprom_sink_records_dropped_total{reason=\"retention\"}",
                        gap, partition, position, start - 1);
                consumer.seek(partition, start);
                newPositions.put(new SourcePartition(partition.topic(), partition.partition()), start);
            } else if (start != null && ends.containsKey(partition) && position <= ends.get(partition)) {
                // In range by now (the broker answered from stale metadata): fetch again from the same offset.
                consumer.seek(partition, position);
            } else {
                LOG.warn("position {} of {} is beyond the log (start {}): the topic was recreated or truncated;"
                        + " reading it from the beginning", position, partition, start);
                consumer.seekToBeginning(List.of(partition));
            }
        }
        if (!newPositions.isEmpty()) {
            appender.commit(newPositions);
        }
        return lost;
    }
}
