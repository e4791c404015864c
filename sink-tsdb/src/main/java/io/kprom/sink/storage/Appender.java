package io.kprom.sink.storage;

import io.kprom.common.labels.Labels;
import java.util.Map;

/**
 * Writes samples into a {@link SeriesStore}.
 *
 * <pre>{@code
 * Appender appender = store.appender();
 * appender.append(labels, timestamps, values, n);   // any number of series
 * appender.commit(Map.of(new SourcePartition("metrics.samples", 0), nextOffset));
 * }</pre>
 *
 * <p>Appended samples are visible to queries at once. They become durable only at a
 * {@link #commit}: the store writes its in-memory head together with the given source offsets in one
 * atomic RocksDB write batch (at the latest after {@link StoreOptions#flushInterval()}), so after a
 * crash {@link SeriesStore#committedOffsets()} names exactly where the durable data ends and the
 * source is replayed from there: nothing lost, nothing doubled.
 *
 * <p>Single writer: one appender may be in use at a time, from one thread. The first
 * {@link #append} after a commit takes the store's write lock and {@link #commit} releases it, so
 * snapshots and tombstone cleaning wait for a whole batch. The caller owns the arrays; the store
 * copies what it keeps.
 */
public interface Appender {
    /**
     * Appends the first {@code count} samples of one series, timestamps ascending (out-of-order
     * ones are handled per {@link StoreOptions#outOfOrderWindow()}). Values are stored bit-exact, so
     * the stale marker NaN {@code 0x7ff0000000000002} survives.
     *
     * @return how many samples were stored; the rest were rejected and counted by {@link RejectReason}
     * @throws IllegalArgumentException for empty labels or a count larger than the arrays
     */
    int append(Labels labels, long[] timestampsMillis, double[] values, int count);

    /**
     * Ends the batch: records that everything appended so far covers the source up to (excluding)
     * these next offsets; flushes head and offsets atomically when a flush is due. Offsets of
     * partitions not named keep their previous value.
     */
    void commit(Map<SourcePartition, Long> nextOffsets);
}
