package io.kprom.sink.api;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.sink.storage.TsdbStats;
import java.nio.file.Path;
import java.util.List;

/**
 * The storage operations behind {@code /api/v1/status/tsdb} and the admin API; the sink's
 * {@code SeriesStore} provides them. Thread-safe.
 */
public interface TsdbAdmin {
    TsdbStats stats(int topN);

    void deleteSeries(List<LabelMatcher> matchers, long minTimeMillis, long maxTimeMillis);

    void cleanTombstones();

    Path snapshot(boolean skipHead);
}
