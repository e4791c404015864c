package io.kprom.processor.retention;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Finds records deleted by retention before they were read, from a consumer group's committed
 * offsets and the partitions' log start offsets: a committed offset below the log start means the
 * records in between are gone and the consumer will be reset past them.
 *
 * <p>Remembers how far each partition's loss was already reported, so a gap seen by several checks
 * (the committed offset stays below the log start until the application commits again) is reported
 * once, and a gap that grows is reported by its new part only. Thread-safe.
 */
public final class RetentionGapTracker {
    private final Map<TopicPartition, Long> reportedUpTo = new HashMap<>();

    /**
     * The new gaps. Partitions without a committed offset (never read, so nothing was skipped) or
     * without a known log start are ignored.
     */
    public synchronized List<RetentionGap> update(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> logStart) {
        List<RetentionGap> gaps = new ArrayList<>();
        committed.forEach((partition, offset) -> {
            Long start = logStart.get(partition);
            if (offset == null || start == null) {
                return;
            }
            long from = Math.max(offset, reportedUpTo.getOrDefault(partition, Long.MIN_VALUE));
            if (from < start) {
                gaps.add(new RetentionGap(partition, from, start));
                reportedUpTo.put(partition, start);
            }
        });
        gaps.sort((a, b) -> a.partition().toString().compareTo(b.partition().toString()));
        return gaps;
    }
}
