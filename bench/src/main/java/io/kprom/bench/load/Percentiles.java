package io.kprom.bench.load;

import java.util.Arrays;
import java.util.Locale;

/** Nearest-rank percentiles of a set of latencies in milliseconds (p99 of 20 runs is the slowest run). */
record Percentiles(int count, double p50, double p99, double max) {
    static Percentiles of(double[] values) {
        if (values.length == 0) {
            return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new Percentiles(sorted.length, rank(sorted, 0.50), rank(sorted, 0.99), sorted[sorted.length - 1]);
    }

    private static double rank(double[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** {@code n=.. p50_ms=.. p99_ms=.. max_ms=..}, one token per figure, for the load scripts to parse. */
    String format() {
        return String.format(Locale.ROOT, "n=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f", count, p50, p99, max);
    }
}
