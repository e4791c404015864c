package io.kprom.sink.storage;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.Labels;
import io.kprom.promql.storage.Querier;
import io.kprom.promql.storage.SampleArrays;
import io.kprom.promql.storage.SelectHints;
import io.kprom.promql.storage.SeriesSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers shared by the storage tests: append single samples, read everything back. */
final class StoreFixture {
    static final SourcePartition PARTITION = new SourcePartition("metrics.samples", 0);

    private StoreFixture() {
    }

    static int append(SeriesStore store, Labels labels, long[] timestamps, double[] values) {
        Appender appender = store.appender();
        int stored = appender.append(labels, timestamps, values, timestamps.length);
        appender.commit(Map.of());
        return stored;
    }

    static int append(SeriesStore store, Labels labels, long timestamp, double value) {
        return append(store, labels, new long[] {timestamp}, new double[] {value});
    }

    /** Every series matching with its samples in [min, max], in label order. */
    static Map<Labels, SampleArrays> read(SeriesStore store, long min, long max, LabelMatcher... matchers) {
        Map<Labels, SampleArrays> result = new LinkedHashMap<>();
        try (Querier querier = store.queryable().querier(min, max);
             SeriesSet set = querier.select(true, new SelectHints(min, max, 0, null, 0), List.of(matchers))) {
            while (set.next()) {
                result.put(set.labels(), set.samples().copy());
            }
        }
        return result;
    }

    static Map<Labels, SampleArrays> readAll(SeriesStore store, LabelMatcher... matchers) {
        return read(store, Long.MIN_VALUE / 2, Long.MAX_VALUE / 2, matchers);
    }

    static long[] timestamps(SampleArrays samples) {
        return java.util.Arrays.copyOf(samples.timestampArray(), samples.length());
    }

    static double[] values(SampleArrays samples) {
        return java.util.Arrays.copyOf(samples.valueArray(), samples.length());
    }
}
