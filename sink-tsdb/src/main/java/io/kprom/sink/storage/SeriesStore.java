package io.kprom.sink.storage;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.promql.storage.Queryable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A durable time-series store on RocksDB: series ids, an inverted label index, Gorilla-compressed
 * chunks in time-partitioned keys, an in-memory head, retention by time and size, tombstones.
 * Layout: {@code sink-tsdb/docs/format.md}.
 *
 * <pre>{@code
 * try (SeriesStore store = SeriesStore.open(dir, StoreOptions.defaults())) {
 *     Map<SourcePartition, Long> resumeAt = store.committedOffsets();   // seek the consumer here
 *     Appender appender = store.appender();
 *     appender.append(labels, timestamps, values, n);
 *     appender.commit(Map.of(partition, nextOffset));
 *     PromqlEngine engine = ...(store.queryable());
 * }
 * }</pre>
 *
 * <p>Thread-safety: queries ({@link #queryable()}, {@link #stats}) run from any number of threads
 * concurrently with the single writer ({@link #appender()}); admin operations are thread-safe and
 * wait for the writer's current batch. Lifecycle: {@link #open} starts a background retention
 * thread; {@link #close()} stops it, flushes the committed head and closes RocksDB.
 */
public interface SeriesStore extends AutoCloseable {

    /**
     * Opens (creating if needed) the store in {@code directory}.
     *
     * @throws StorageException when RocksDB cannot open the directory (locked by another process,
     *         corrupt, not writable) or the stored format is from an unknown version
     */
    static SeriesStore open(Path directory, StoreOptions options) {
        return RocksSeriesStore.open(directory, options);
    }

    /** The writer; see {@link Appender} for the single-writer contract. */
    Appender appender();

    /** Source offsets durable with the data: resume reading each partition here. */
    Map<SourcePartition, Long> committedOffsets();

    /** Opens {@link io.kprom.promql.storage.Querier}s over the store for the PromQL engine. */
    Queryable queryable();

    /** Cardinality statistics with the top {@code topN} entries of each list. */
    TsdbStats stats(int topN);

    /** Samples rejected since open, by reason (every reason present, zero when none). */
    Map<RejectReason, Long> rejectedSamples();

    /**
     * Marks samples of matching series in {@code [minTimeMillis, maxTimeMillis]} deleted (tombstones):
     * queries stop returning them at once; {@link #cleanTombstones()} removes them from disk.
     *
     * @throws IllegalArgumentException when no matcher is given or minTime > maxTime
     */
    void deleteSeries(List<LabelMatcher> matchers, long minTimeMillis, long maxTimeMillis);

    /** Rewrites chunks covered by tombstones without the deleted samples and drops the tombstones. */
    void cleanTombstones();

    /**
     * Writes a consistent copy of the store (a RocksDB checkpoint, hard links where possible) to
     * {@code <dir>/snapshots/<yyyyMMdd'T'HHmmss'Z'>-<hex>} and returns its path. With
     * {@code skipHead} false the head is flushed first so the snapshot holds every committed sample.
     */
    Path snapshot(boolean skipHead);

    /** Bytes of the store's files on disk (SST files of all column families). */
    long diskSizeBytes();

    /**
     * Compacts all files fully now, reclaiming the space of overwritten head chunks and deleted
     * blocks that background compaction would reclaim later. Takes a while on big stores; queries
     * and ingestion continue meanwhile.
     */
    void compact();

    /** Runs one retention pass now (normally done in the background every retention check interval). */
    void enforceRetention();

    /** Flushes the committed head and closes RocksDB. Idempotent. */
    @Override
    void close();
}
