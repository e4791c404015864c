package io.kprom.promql.storage;

import io.kprom.common.labels.LabelMatcher;
import java.util.List;

/**
 * Read access to stored series for the PromQL engine. Implemented by the sink's RocksDB store,
 * the processor's and evaluator's rule windows, and {@link InMemoryQuerier} for tests.
 *
 * <p>A querier is bounded to {@code [minTimeMillis, maxTimeMillis]} when it is opened; every
 * call returns only samples in that range. Implementations must be safe for use by one query
 * thread at a time; the caller closes the querier when the query ends.
 */
public interface Querier extends AutoCloseable {
    /**
     * Series whose labels match all matchers, each with its samples inside the hinted time range
     * (or the querier's bounds when hints are null), sorted by labels when {@code sorted}.
     * The returned set is owned by the caller and must be consumed before the next call.
     */
    SeriesSet select(boolean sorted, SelectHints hints, List<LabelMatcher> matchers);

    /** Sorted distinct values of a label among series matching the matchers (all series when none). */
    List<String> labelValues(String name, List<LabelMatcher> matchers);

    /** Sorted distinct label names among series matching the matchers (all series when none). */
    List<String> labelNames(List<LabelMatcher> matchers);

    @Override
    default void close() {
    }
}
