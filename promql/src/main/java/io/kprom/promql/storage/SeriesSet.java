package io.kprom.promql.storage;

import io.kprom.common.labels.Labels;

/**
 * Pull cursor over selected series: {@code while (set.next()) { set.labels(); set.samples(); }}.
 * The {@link SampleArrays} returned by {@link #samples()} may be reused by the implementation and
 * is valid only until the next call to {@link #next()}; copy what you keep.
 */
public interface SeriesSet extends AutoCloseable {
    boolean next();

    Labels labels();

    /** Samples of the current series in ascending timestamp order. */
    SampleArrays samples();

    @Override
    default void close() {
    }
}
