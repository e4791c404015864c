package io.kprom.sink.storage;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link SeriesStore}. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * StoreOptions options = StoreOptions.builder()
 *         .retentionTime(Duration.ofDays(15))      // --storage.tsdb.retention.time
 *         .retentionSizeBytes(0)                   // --storage.tsdb.retention.size, 0 = unlimited
 *         .outOfOrderWindow(Duration.ofMinutes(10))
 *         .build();
 * }</pre>
 *
 * @param retentionTime data older than the newest sample minus this is deleted, in whole blocks
 * @param retentionSizeBytes when the store's files exceed this, oldest blocks are deleted; 0 = no limit
 * @param outOfOrderWindow samples up to this much older than a series' newest sample are accepted
 *        and merged; older ones are rejected as {@link RejectReason#OUT_OF_ORDER}; 0 (Prometheus's
 *        default) rejects every out-of-order sample
 * @param blockDuration time partition of the chunk keys; retention deletes whole blocks
 * @param flushInterval the head is written to RocksDB at the first commit after this much time
 * @param flushMaxSamples ... or after this many samples were appended since the last flush
 * @param chunkMaxSamples samples per chunk before a new chunk is cut (Prometheus: 120)
 * @param retentionCheckInterval how often the background retention pass runs
 * @param headChunkRetention chunks already flushed stay in memory while needed to cover this much time
 *        before a series' newest sample, so queries over recent data need no disk read; 0 drops them at
 *        once (less memory: about 2 bytes per sample of that window per series)
 */
public record StoreOptions(
        Duration retentionTime,
        long retentionSizeBytes,
        Duration outOfOrderWindow,
        Duration blockDuration,
        Duration flushInterval,
        long flushMaxSamples,
        int chunkMaxSamples,
        Duration retentionCheckInterval,
        Duration headChunkRetention) {

    public static final Duration DEFAULT_RETENTION_TIME = Duration.ofDays(15);

    public StoreOptions {
        Objects.requireNonNull(retentionTime, "retentionTime");
        Objects.requireNonNull(outOfOrderWindow, "outOfOrderWindow");
        Objects.requireNonNull(blockDuration, "blockDuration");
        Objects.requireNonNull(flushInterval, "flushInterval");
        Objects.requireNonNull(retentionCheckInterval, "retentionCheckInterval");
        Objects.requireNonNull(headChunkRetention, "headChunkRetention");
        if (headChunkRetention.isNegative()) {
            throw new IllegalArgumentException("headChunkRetention must be >= 0, got " + headChunkRetention);
        }
        requirePositive("retentionTime", retentionTime);
        requirePositive("blockDuration", blockDuration);
        requirePositive("retentionCheckInterval", retentionCheckInterval);
        if (outOfOrderWindow.isNegative()) {
            throw new IllegalArgumentException("outOfOrderWindow must be >= 0, got " + outOfOrderWindow);
        }
        if (flushInterval.isNegative()) {
            throw new IllegalArgumentException("flushInterval must be >= 0, got " + flushInterval);
        }
        if (retentionSizeBytes < 0) {
            throw new IllegalArgumentException("retentionSizeBytes must be >= 0 (0 = unlimited), got " + retentionSizeBytes);
        }
        if (flushMaxSamples <= 0) {
            throw new IllegalArgumentException("flushMaxSamples must be > 0, got " + flushMaxSamples);
        }
        if (chunkMaxSamples < 2 || chunkMaxSamples > 65535) {
            throw new IllegalArgumentException("chunkMaxSamples must be in [2, 65535], got " + chunkMaxSamples);
        }
    }

    private static void requirePositive(String name, Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(name + " must be > 0, got " + duration);
        }
    }

    public static StoreOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().retentionTime(retentionTime).retentionSizeBytes(retentionSizeBytes)
                .outOfOrderWindow(outOfOrderWindow).blockDuration(blockDuration).flushInterval(flushInterval)
                .flushMaxSamples(flushMaxSamples).chunkMaxSamples(chunkMaxSamples)
                .retentionCheckInterval(retentionCheckInterval).headChunkRetention(headChunkRetention);
    }

    /** Mutable builder with Prometheus-like defaults. Not thread-safe. */
    public static final class Builder {
        private Duration retentionTime = DEFAULT_RETENTION_TIME;
        private long retentionSizeBytes;
        private Duration outOfOrderWindow = Duration.ZERO;
        private Duration blockDuration = Duration.ofHours(2);
        // Kafka is the write-ahead log: a crash replays at most this much from the sink's durable offsets.
        // Each flush rewrites every series' open chunk whole, so flushing every 5 s cost ~100 bytes written
        // per sample at a 5 s scrape interval; at 60 s an open chunk is rewritten once per 12 samples.
        private Duration flushInterval = Duration.ofSeconds(60);
        private long flushMaxSamples = 2_000_000;
        private int chunkMaxSamples = 120;
        private Duration retentionCheckInterval = Duration.ofMinutes(1);
        private Duration headChunkRetention = Duration.ofMinutes(15);

        public Builder retentionTime(Duration value) {
            retentionTime = value;
            return this;
        }

        public Builder retentionSizeBytes(long value) {
            retentionSizeBytes = value;
            return this;
        }

        public Builder outOfOrderWindow(Duration value) {
            outOfOrderWindow = value;
            return this;
        }

        public Builder blockDuration(Duration value) {
            blockDuration = value;
            return this;
        }

        public Builder flushInterval(Duration value) {
            flushInterval = value;
            return this;
        }

        public Builder flushMaxSamples(long value) {
            flushMaxSamples = value;
            return this;
        }

        public Builder chunkMaxSamples(int value) {
            chunkMaxSamples = value;
            return this;
        }

        public Builder retentionCheckInterval(Duration value) {
            retentionCheckInterval = value;
            return this;
        }

        /** Dashboards over the last this-much read only memory; the default covers the usual 5-15 minute panels. */
        public Builder headChunkRetention(Duration value) {
            headChunkRetention = value;
            return this;
        }

        public StoreOptions build() {
            return new StoreOptions(retentionTime, retentionSizeBytes, outOfOrderWindow, blockDuration, flushInterval,
                    flushMaxSamples, chunkMaxSamples, retentionCheckInterval, headChunkRetention);
        }
    }
}
