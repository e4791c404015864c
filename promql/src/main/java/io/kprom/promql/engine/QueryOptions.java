package io.kprom.promql.engine;

import java.time.Duration;

/**
 * Per-query settings.
 *
 * @param lookbackDelta how far back an instant selector looks (Prometheus default 5m)
 * @param maxSamples most samples a query may hold in memory at once (Prometheus default 50 000 000)
 * @param timeout evaluation time limit (Prometheus default 2m)
 */
public record QueryOptions(Duration lookbackDelta, long maxSamples, Duration timeout) {
    public static final Duration DEFAULT_LOOKBACK_DELTA = Duration.ofMinutes(5);
    public static final long DEFAULT_MAX_SAMPLES = 50_000_000L;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    public static QueryOptions defaults() {
        return new QueryOptions(DEFAULT_LOOKBACK_DELTA, DEFAULT_MAX_SAMPLES, DEFAULT_TIMEOUT);
    }

    public QueryOptions withLookbackDelta(Duration delta) {
        return new QueryOptions(delta, maxSamples, timeout);
    }

    public QueryOptions withMaxSamples(long max) {
        return new QueryOptions(lookbackDelta, max, timeout);
    }

    public QueryOptions withTimeout(Duration limit) {
        return new QueryOptions(lookbackDelta, maxSamples, limit);
    }
}
