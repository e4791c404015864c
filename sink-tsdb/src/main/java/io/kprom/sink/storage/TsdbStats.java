package io.kprom.sink.storage;

import java.util.List;

/**
 * Cardinality statistics as Prometheus serves them at {@code /api/v1/status/tsdb}; field names are
 * the JSON names. Immutable.
 *
 * @param headStats totals of the in-memory head
 * @param seriesCountByMetricName top metric names by number of series
 * @param labelValueCountByLabelName top label names by number of distinct values
 * @param memoryInBytesByLabelName top label names by bytes of their distinct values
 *        (sum over values of value length times series with that value, as Prometheus computes it)
 * @param seriesCountByLabelValuePair top {@code name=value} pairs by number of series
 */
public record TsdbStats(
        HeadStats headStats,
        List<Entry> seriesCountByMetricName,
        List<Entry> labelValueCountByLabelName,
        List<Entry> memoryInBytesByLabelName,
        List<Entry> seriesCountByLabelValuePair) {

    public TsdbStats {
        seriesCountByMetricName = List.copyOf(seriesCountByMetricName);
        labelValueCountByLabelName = List.copyOf(labelValueCountByLabelName);
        memoryInBytesByLabelName = List.copyOf(memoryInBytesByLabelName);
        seriesCountByLabelValuePair = List.copyOf(seriesCountByLabelValuePair);
    }

    /**
     * @param numSeries live series
     * @param numLabelPairs distinct label name=value pairs
     * @param chunkCount chunks held in memory (open and not yet flushed)
     * @param minTime smallest sample timestamp stored (ms), {@code Long.MAX_VALUE} when empty
     * @param maxTime largest sample timestamp stored (ms), {@code Long.MIN_VALUE} when empty
     */
    public record HeadStats(long numSeries, long numLabelPairs, long chunkCount, long minTime, long maxTime) {
    }

    /** One {@code {"name": ..., "value": ...}} row. */
    public record Entry(String name, long value) {
    }
}
