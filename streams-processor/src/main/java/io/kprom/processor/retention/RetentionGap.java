package io.kprom.processor.retention;

import org.apache.kafka.common.TopicPartition;

/**
 * Records {@code [from, to)} of one partition that Kafka's retention deleted before the application
 * read them: the application's committed offset was {@code from}, the log now starts at {@code to}.
 */
public record RetentionGap(TopicPartition partition, long from, long to) {
    public RetentionGap {
        if (to <= from) {
            throw new IllegalArgumentException("empty gap " + from + ".." + to + " of " + partition);
        }
    }

    /** Number of records lost (their sample count is unknowable: the records are gone). */
    public long records() {
        return to - from;
    }
}
