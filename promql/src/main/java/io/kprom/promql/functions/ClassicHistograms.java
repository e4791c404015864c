package io.kprom.promql.functions;

/**
 * {@code histogram_quantile} and {@code histogram_fraction} over classic (le-labelled) buckets.
 * A reusable bucket buffer: {@link #clear()}, {@link #add(double, double)} per bucket, then query.
 * Not thread-safe; one instance per evaluating operator.
 */
public final class ClassicHistograms {
    /** Relative tolerance below which neighbouring cumulative counts are treated as equal. */
    private static final double SMALL_DELTA_TOLERANCE = 1e-12;
    private static final double MIN_NORMAL = Double.MIN_NORMAL;

    private double[] upperBounds = new double[16];
    private double[] counts = new double[16];
    private int size;
    private boolean forcedMonotonic;
    private boolean fixedPrecision;

    public void clear() {
        size = 0;
        forcedMonotonic = false;
        fixedPrecision = false;
    }

    public int size() {
        return size;
    }

    public void add(double upperBound, double cumulativeCount) {
        if (size == upperBounds.length) {
            upperBounds = java.util.Arrays.copyOf(upperBounds, size * 2);
            counts = java.util.Arrays.copyOf(counts, size * 2);
        }
        upperBounds[size] = upperBound;
        counts[size] = cumulativeCount;
        size++;
    }

    /** Whether the last query had to raise a bucket count to keep counts monotonic. */
    public boolean forcedMonotonic() {
        return forcedMonotonic;
    }

    /** Whether the last query ignored tiny floating-point differences between bucket counts. */
    public boolean fixedPrecision() {
        return fixedPrecision;
    }

    /**
     * The q-quantile, interpolating linearly inside the bucket holding the rank; the lowest bucket
     * starts at 0 when its bound is positive; a rank in the +Inf bucket yields the highest finite bound.
     * NaN without a +Inf bucket, with fewer than two buckets or with zero observations.
     */
    public double quantile(double q) {
        forcedMonotonic = false;
        fixedPrecision = false;
        if (Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        if (!prepare()) {
            return Double.NaN;
        }
        if (size < 2) {
            return Double.NaN;
        }
        double observations = counts[size - 1];
        if (observations == 0) {
            return Double.NaN;
        }
        double rank = q * observations;
        int b = 0;
        while (b < size - 1 && counts[b] < rank) {
            b++;
        }
        if (b == size - 1) {
            return upperBounds[size - 2];
        }
        if (b == 0 && upperBounds[0] <= 0) {
            return upperBounds[0];
        }
        double bucketStart = 0;
        double bucketEnd = upperBounds[b];
        double count = counts[b];
        if (b > 0) {
            bucketStart = upperBounds[b - 1];
            count -= counts[b - 1];
            rank -= counts[b - 1];
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count);
    }

    /**
     * Fraction of observations between {@code lower} and {@code upper}, interpolating linearly
     * inside buckets (the lowest bucket starts at 0 when its bound is positive, else at -Inf).
     */
    public double fraction(double lower, double upper) {
        forcedMonotonic = false;
        fixedPrecision = false;
        if (!prepare()) {
            return Double.NaN;
        }
        double total = counts[size - 1];
        if (total == 0 || Double.isNaN(lower) || Double.isNaN(upper)) {
            return Double.NaN;
        }
        if (lower >= upper) {
            return 0;
        }
        return (rankAt(upper) - rankAt(lower)) / total;
    }

    /** Estimated cumulative count of observations at or below {@code value}. */
    private double rankAt(double value) {
        double previousCount = 0;
        for (int i = 0; i < size; i++) {
            double bucketUpper = upperBounds[i];
            double bucketLower = i > 0 ? upperBounds[i - 1]
                    : (bucketUpper > 0 ? 0 : Double.NEGATIVE_INFINITY);
            if (value <= bucketLower) {
                return previousCount;
            }
            if (value < bucketUpper) {
                if (Double.isInfinite(bucketLower) || Double.isInfinite(bucketUpper)) {
                    // No interpolation inside an unbounded bucket: its observations sit at its finite end.
                    return previousCount;
                }
                return previousCount + (counts[i] - previousCount) * (value - bucketLower) / (bucketUpper - bucketLower);
            }
            previousCount = counts[i];
        }
        return counts[size - 1];
    }

    /** Sorts by bound, merges equal bounds, fixes monotonicity; false when there is no +Inf bucket. */
    private boolean prepare() {
        if (size == 0) {
            return false;
        }
        sortByBound();
        if (upperBounds[size - 1] != Double.POSITIVE_INFINITY) {
            return false;
        }
        coalesce();
        ensureMonotonicIgnoringSmallDeltas();
        return true;
    }

    private void sortByBound() {
        // Insertion sort: bucket counts are small and usually already sorted.
        for (int i = 1; i < size; i++) {
            double bound = upperBounds[i];
            double count = counts[i];
            int j = i - 1;
            while (j >= 0 && upperBounds[j] > bound) {
                upperBounds[j + 1] = upperBounds[j];
                counts[j + 1] = counts[j];
                j--;
            }
            upperBounds[j + 1] = bound;
            counts[j + 1] = count;
        }
    }

    private void coalesce() {
        int write = 0;
        for (int read = 1; read < size; read++) {
            if (upperBounds[read] == upperBounds[write]) {
                counts[write] += counts[read];
            } else {
                write++;
                upperBounds[write] = upperBounds[read];
                counts[write] = counts[read];
            }
        }
        size = write + 1;
    }

    private void ensureMonotonicIgnoringSmallDeltas() {
        double previous = counts[0];
        for (int i = 1; i < size; i++) {
            double current = counts[i];
            if (current == previous) {
                continue;
            }
            if (almostEqual(previous, current, SMALL_DELTA_TOLERANCE)) {
                counts[i] = previous;
                fixedPrecision = true;
                continue;
            }
            if (current < previous) {
                counts[i] = previous;
                forcedMonotonic = true;
                continue;
            }
            previous = current;
        }
    }

    static boolean almostEqual(double a, double b, double epsilon) {
        if (Double.isNaN(a) && Double.isNaN(b)) {
            return true;
        }
        if (a == b) {
            return true;
        }
        double absSum = Math.abs(a) + Math.abs(b);
        double diff = Math.abs(a - b);
        if (a == 0 || b == 0 || absSum < MIN_NORMAL) {
            return diff < epsilon * MIN_NORMAL;
        }
        return diff / Math.min(absSum, Double.MAX_VALUE) < epsilon;
    }
}
