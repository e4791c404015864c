package io.kprom.processor.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Active-series (cardinality) limits. An active series is one that received a sample within
 * {@code activeWindow}. Limits are cluster-wide totals; each of the {@code shards} series-stage
 * tasks enforces {@code ceil(limit / shards)} because series are spread evenly by their label hash
 * (the way Mimir splits per-tenant limits over ingesters). 0 means no limit.
 *
 * @param globalLimit active series over all jobs
 * @param defaultJobLimit active series per job when {@code jobLimits} has no entry for it
 * @param jobLimits active series per job name
 * @param activeWindow how long a series stays active after its last sample
 * @param topN how many metric names / label pairs the cardinality gauges export
 */
public record SeriesLimits(long globalLimit, long defaultJobLimit, Map<String, Long> jobLimits, Duration activeWindow,
        int topN) {
    public SeriesLimits {
        Objects.requireNonNull(activeWindow, "activeWindow");
        jobLimits = Map.copyOf(jobLimits);
        if (globalLimit < 0 || defaultJobLimit < 0 || topN < 0 || activeWindow.isNegative() || activeWindow.isZero()) {
            throw new IllegalArgumentException("series limits must be >= 0 and the active window positive");
        }
    }

    public static SeriesLimits none() {
        return new SeriesLimits(0, 0, Map.of(), Duration.ofMinutes(20), 10);
    }

    public long jobLimit(String job) {
        Long limit = jobLimits.get(job);
        return limit == null ? defaultJobLimit : limit;
    }

    /** The share of a cluster-wide limit one shard enforces; 0 stays 0 (no limit). */
    public static long perShard(long limit, int shards) {
        return limit == 0 ? 0 : (limit + shards - 1) / shards;
    }
}
