package io.kprom.sink.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles fetch positions out of range for a consumer running with {@code auto.offset.reset=none}. Below the
 * log start it means Kafka's retention deleted records before the reader read them: the gap is handed to the
 * caller's counter (records; their sample count is unknowable), logged once with partition and offsets, and the
 * consumer moved to the log start. Back in range (stale metadata) the same offset is fetched again. Beyond the
 * log end (the topic was recreated or truncated) the partition is read from its beginning, as Kafka's
 * {@code auto.offset.reset=earliest} would. Used by the consuming thread only; not thread-safe.
 */
public final class RetentionSkip {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionSkip.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String reader;
    private final String counter;

    /**
     * @param reader who lost the records, for the log ("the sink", "remote write X")
     * @param counter the self-metric the caller counts gaps in, for the log
     */
    public RetentionSkip(String reader, String counter) {
        this.reader = reader;
        this.counter = counter;
    }

    /**
     * Repositions the given partitions (fetch positions that were out of range), passes each retention gap's
     * record count to {@code lost}, and returns the partitions moved past a gap with their new positions (the
     * caller stores them, so a restart does not count the same gap again).
     */
    public Map<TopicPartition, Long> skip(Consumer<?, ?> consumer, Map<TopicPartition, Long> outOfRange, LongConsumer lost) {
        Map<TopicPartition, Long> starts = consumer.beginningOffsets(outOfRange.keySet(), TIMEOUT);
        Map<TopicPartition, Long> ends = consumer.endOffsets(outOfRange.keySet(), TIMEOUT);
        Map<TopicPartition, Long> moved = new HashMap<>();
        for (Map.Entry<TopicPartition, Long> entry : outOfRange.entrySet()) {
            TopicPartition partition = entry.getKey();
            long position = entry.getValue();
            Long start = starts.get(partition);
            if (start != null && position < start) {
                long gap = start - position;
                lost.accept(gap);
                LOG.warn("{} records of {} (offsets {}..{}) were deleted by retention before {} read them;"
                        + " they are lost and counted in {}", gap, partition, position, start - 1, reader, counter);
                consumer.seek(partition, start);
                moved.put(partition, start);
            } else if (start != null && ends.containsKey(partition) && position <= ends.get(partition)) {
                consumer.seek(partition, position);
            } else {
                LOG.warn("position {} of {} is beyond the log (start {}): the topic was recreated or truncated;"
                        + " {} reads it from the beginning", position, partition, start, reader);
                consumer.seekToBeginning(List.of(partition));
            }
        }
        return moved;
    }
}
