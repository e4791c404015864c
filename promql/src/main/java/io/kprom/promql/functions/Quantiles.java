package io.kprom.promql.functions;

import java.util.Arrays;

/** Quantile of plain values as PromQL's {@code quantile} and {@code quantile_over_time} compute it. */
public final class Quantiles {
    private Quantiles() {
    }

    /**
     * The q-quantile of {@code values[0, n)} by linear interpolation between ranks (sorts the prefix
     * in place, NaN ordered first as in Prometheus). NaN for no values or NaN q; -Inf for q &lt; 0;
     * +Inf for q &gt; 1.
     */
    public static double quantile(double q, double[] values, int n) {
        if (n == 0 || Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        sortNaNFirst(values, n);
        double rank = q * (n - 1);
        double lowerIndex = Math.max(0, Math.floor(rank));
        double upperIndex = Math.min(n - 1, lowerIndex + 1);
        double weight = rank - Math.floor(rank);
        return values[(int) lowerIndex] * (1 - weight) + values[(int) upperIndex] * weight;
    }

    /** Sorts ascending with NaNs first (Java's sort puts them last). */
    static void sortNaNFirst(double[] values, int n) {
        Arrays.sort(values, 0, n);
        int nans = 0;
        for (int i = n - 1; i >= 0 && Double.isNaN(values[i]); i--) {
            nans++;
        }
        if (nans > 0) {
            System.arraycopy(values, 0, values, nans, n - nans);
            Arrays.fill(values, 0, nans, Double.NaN);
        }
    }
}
