package io.kprom.processor.series;

import io.kprom.common.labels.Labels;
import io.kprom.schemas.avro.Series;
import io.kprom.schemas.avro.SeriesBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Collects output series into one {@link SeriesBatch} per shard, so a scrape becomes at most one
 * record per partition. Not thread-safe; one per processed record.
 */
public final class ShardedBatches {
    private final int shards;
    private final List<Series>[] perShard;
    private int sampleCount;

    @SuppressWarnings("unchecked")
    public ShardedBatches(int shards) {
        this.shards = shards;
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
        return Series.newBuilder().setLabels(labels.toList()).setTimestamps(timestamps).setValues(values).build();
    }

    public int sampleCount() {
        return sampleCount;
    }

    public boolean isEmpty() {
        return sampleCount == 0;
    }

    /** Calls the consumer with (shard, batch) for every non-empty shard, in shard order. */
    public void forEach(BiConsumer<Integer, SeriesBatch> consumer) {
        for (int shard = 0; shard < shards; shard++) {
            List<Series> list = perShard[shard];
            if (list != null && !list.isEmpty()) {
                consumer.accept(shard, SeriesBatch.newBuilder().setSeries(list).build());
            }
        }
    }
}
