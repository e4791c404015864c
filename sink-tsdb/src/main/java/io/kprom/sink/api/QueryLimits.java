package io.kprom.sink.api;

import java.time.Duration;

/**
 * Query guards from the command line ({@code --query.lookback-delta}, {@code --query.max-samples},
 * {@code --query.timeout}, {@code --query.max-concurrency}). Immutable.
 */
public record QueryLimits(Duration lookbackDelta, long maxSamples, Duration timeout, int maxConcurrency) {
    public QueryLimits {
        if (lookbackDelta.isNegative() || lookbackDelta.isZero()) {
            throw new IllegalArgumentException("query.lookback-delta must be > 0, got " + lookbackDelta);
        }
        if (maxSamples <= 0) {
            throw new IllegalArgumentException("query.max-samples must be > 0, got " + maxSamples);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("query.timeout must be > 0, got " + timeout);
        }
        if (maxConcurrency <= 0) {
            throw new IllegalArgumentException("query.max-concurrency must be > 0, got " + maxConcurrency);
        }
    }

    /** Prometheus's defaults: 5m, 50 000 000, 2m, 20. */
    public static QueryLimits defaults() {
        return new QueryLimits(Duration.ofMinutes(5), 50_000_000L, Duration.ofMinutes(2), 20);
    }
}
