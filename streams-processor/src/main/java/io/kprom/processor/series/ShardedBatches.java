package io.kprom.processor.series;

import io.kprom.common.labels.Labels;
import io.kprom.schemas.avro.Series;
import io.kprom.schemas.avro.SeriesBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Collects output series into one {@link SeriesBatch} per shard, so a scrape becomes at most one
 * record per partition, or several when a shard holds more than {@code maxSeriesPerRecord} series
 * (a record must stay well below Kafka's size limits). Not thread-safe; one per processed record.
 */
public final class ShardedBatches {
    private final int shards;
    private final int maxSeriesPerRecord;
    private final List<Series>[] perShard;
    private int sampleCount;

    @SuppressWarnings("unchecked")
    public ShardedBatches(int shards, int maxSeriesPerRecord) {
        if (maxSeriesPerRecord < 1) {
            throw new IllegalArgumentException("maxSeriesPerRecord must be >= 1, got " + maxSeriesPerRecord);
        }
        this.shards = shards;
        this.maxSeriesPerRecord = maxSeriesPerRecord;
        this.perShard = new List[shards];
    }

    /** Adds one sample of a series. */
    public void add(Labels labels, long timestampMillis, double value) {
        add(labels.stableHash(), series(labels, List.of(timestampMillis), List.of(value)));
    }

    /** Adds a series whose label hash is already known. */
    public void add(long stableHash, Series series) {
        int shard = SeriesShards.shardOf(stableHash, shards);
        List<Series> list = perShard[shard];
        if (list == null) {
            list = new ArrayList<>();
            perShard[shard] = list;
        }
        list.add(series);
        sampleCount += series.getValues().size();
    }

    public static Series series(Labels labels, List<Long> timestamps, List<Double> values) {
        return new Series(labels.toList(), timestamps, values, null, null);
    }

    public int sampleCount() {
        return sampleCount;
    }

    public boolean isEmpty() {
        return sampleCount == 0;
    }

    /**
     * Calls the consumer with (shard, batch) for every non-empty shard, in shard order; a shard with
     * more than {@code maxSeriesPerRecord} series yields consecutive batches, series in added order.
     */
    public void forEach(BiConsumer<Integer, SeriesBatch> consumer) {
        for (int shard = 0; shard < shards; shard++) {
            List<Series> list = perShard[shard];
            if (list != null) {
                int s = shard;
                split(list, maxSeriesPerRecord, batch -> consumer.accept(s, batch));
            }
        }
    }

    /** Hands {@code series} to {@code consumer} as batches of at most {@code maxSeries}, in order. */
    public static void split(List<Series> series, int maxSeries, java.util.function.Consumer<SeriesBatch> consumer) {
        int size = series.size();
        if (size <= maxSeries) {
            if (size > 0) {
                consumer.accept(new SeriesBatch(series));
            }
            return;
        }
        for (int from = 0; from < size; from += maxSeries) {
            consumer.accept(new SeriesBatch(new ArrayList<>(series.subList(from, Math.min(size, from + maxSeries)))));
        }
    }
}
