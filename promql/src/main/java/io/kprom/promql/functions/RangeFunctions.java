package io.kprom.promql.functions;


/**
 * Kernels of PromQL's range-vector functions over one window of one series: the samples
 * {@code [from, to)} of parallel timestamp (milliseconds) and value arrays, ascending in time.
 * Callers check the minimum sample count ({@link #minimumSamples(String)}) before calling, so the
 * kernels never have to signal "no result". Stateless and thread-safe; kernels that sort take a
 * caller-owned scratch array so the hot loop allocates nothing.
 */
public final class RangeFunctions {
    private RangeFunctions() {
    }

    /** Fewest samples a window needs for the function to produce a value (1 unless stated). */
    public static int minimumSamples(String function) {
        return switch (function) {
            case "rate", "increase", "delta", "irate", "idelta", "deriv", "predict_linear",
                    "double_exponential_smoothing", "holt_winters" -> 2;
            default -> 1;
        };
    }

    /**
     * {@code rate}, {@code increase} and {@code delta}: the change across the window, corrected for
     * counter resets when {@code isCounter}, extrapolated towards the window boundaries. Extrapolation
     * reaches a boundary only when the first/last sample lies within 1.1x the average sample interval
     * of it; otherwise it extends by half an average interval. Counters are never extrapolated below zero.
     *
     * @param rangeStartMillis exclusive window start ({@code t - range - offset})
     * @param rangeEndMillis inclusive window end ({@code t - offset})
     */
    public static double extrapolatedRate(long[] ts, double[] vs, int from, int to, long rangeStartMillis,
            long rangeEndMillis, boolean isCounter, boolean isRate) {
        return extrapolatedRate(ts, vs, from, to, rangeStartMillis, rangeEndMillis, isCounter, isRate, isCounter);
    }

    /**
     * As {@link #extrapolatedRate(long[], double[], int, int, long, long, boolean, boolean)}; callers that
     * know the window holds no counter reset pass {@code scanForResets = false} to skip the scan (the
     * result is identical).
     */
    public static double extrapolatedRate(long[] ts, double[] vs, int from, int to, long rangeStartMillis,
            long rangeEndMillis, boolean isCounter, boolean isRate, boolean scanForResets) {
        int last = to - 1;
        double result = vs[last] - vs[from];
        if (isCounter && scanForResets) {
            double previous = vs[from];
            for (int i = from + 1; i < to; i++) {
                double current = vs[i];
                if (current < previous) {
                    result += previous;
                }
                previous = current;
            }
        }
        double durationToStart = (ts[from] - rangeStartMillis) / 1000.0;
        double durationToEnd = (rangeEndMillis - ts[last]) / 1000.0;
        double sampledInterval = (ts[last] - ts[from]) / 1000.0;
        double averageInterval = sampledInterval / (to - from - 1);
        double threshold = averageInterval * 1.1;
        if (durationToStart >= threshold) {
            durationToStart = averageInterval / 2;
        }
        if (isCounter && result > 0 && vs[from] >= 0) {
            // A counter starts at zero: do not extrapolate back beyond the point where it would be zero.
            double durationToZero = sampledInterval * (vs[from] / result);
            if (durationToZero < durationToStart) {
                durationToStart = durationToZero;
            }
        }
        if (durationToEnd >= threshold) {
            durationToEnd = averageInterval / 2;
        }
        double factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
        if (isRate) {
            factor /= (rangeEndMillis - rangeStartMillis) / 1000.0;
        }
        return result * factor;
    }

    /** {@code irate} ({@code isRate}) and {@code idelta}: from the last two samples of the window. */
    public static double instantRate(long[] ts, double[] vs, int from, int to, boolean isRate) {
        int last = to - 1;
        double lastValue = vs[last];
        double previousValue = vs[last - 1];
        double result;
        if (isRate && lastValue < previousValue) {
            result = lastValue; // counter reset
        } else {
            result = lastValue - previousValue;
        }
        if (isRate) {
            result /= (ts[last] - ts[last - 1]) / 1000.0;
        }
        return result;
    }

    public static double sumOverTime(double[] vs, int from, int to, KahanSum scratch) {
        scratch.reset();
        for (int i = from; i < to; i++) {
            scratch.add(vs[i]);
        }
        return scratch.value();
    }

    /** Mean with Kahan summation, switching to an incremental mean if the plain sum overflows. */
    public static double avgOverTime(double[] vs, int from, int to, KahanSum scratch) {
        scratch.set(vs[from]);
        double count = 1;
        boolean incremental = false;
        double mean = 0;
        double meanCompensation = 0;
        for (int i = from + 1; i < to; i++) {
            count = i - from + 1;
            double v = vs[i];
            if (!incremental) {
                double previousSum = scratch.rawSum();
                double previousCompensation = scratch.compensation();
                scratch.add(v);
                if (!Double.isInfinite(scratch.rawSum())) {
                    continue;
                }
                incremental = true;
                mean = previousSum / (count - 1);
                meanCompensation = previousCompensation / (count - 1);
            }
            double q = (count - 1) / count;
            double[] next = kahanInc(v / count, q * mean, q * meanCompensation);
            mean = next[0];
            meanCompensation = next[1];
        }
        if (incremental) {
            return mean + meanCompensation;
        }
        return scratch.rawSum() / count + scratch.compensation() / count;
    }

    private static double[] kahanInc(double increment, double sum, double compensation) {
        double t = sum + increment;
        double c = compensation;
        if (Double.isInfinite(t)) {
            c = 0;
        } else if (Math.abs(sum) >= Math.abs(increment)) {
            c += (sum - t) + increment;
        } else {
            c += (increment - t) + sum;
        }
        return new double[] {t, c};
    }

    /** Minimum; NaN only when every value is NaN. */
    public static double minOverTime(double[] vs, int from, int to) {
        double min = vs[from];
        for (int i = from + 1; i < to; i++) {
            if (vs[i] < min || Double.isNaN(min)) {
                min = vs[i];
            }
        }
        return min;
    }

    /** Maximum; NaN only when every value is NaN. */
    public static double maxOverTime(double[] vs, int from, int to) {
        double max = vs[from];
        for (int i = from + 1; i < to; i++) {
            if (vs[i] > max || Double.isNaN(max)) {
                max = vs[i];
            }
        }
        return max;
    }

    /** Population variance with Welford's method and compensated sums. */
    public static double stdvarOverTime(double[] vs, int from, int to, KahanSum mean, KahanSum aux) {
        mean.reset();
        aux.reset();
        double count = 0;
        for (int i = from; i < to; i++) {
            count++;
            double v = vs[i];
            double delta = v - mean.value();
            mean.add(delta / count);
            aux.add(delta * (v - mean.value()));
        }
        return aux.value() / count;
    }

    public static double stddevOverTime(double[] vs, int from, int to, KahanSum mean, KahanSum aux) {
        return Math.sqrt(stdvarOverTime(vs, from, to, mean, aux));
    }

    /** Rank-interpolated quantile of the window's values; sorts a copy in {@code scratch}. */
    public static double quantileOverTime(double q, double[] vs, int from, int to, double[] scratch) {
        int n = to - from;
        System.arraycopy(vs, from, scratch, 0, n);
        return Quantiles.quantile(q, scratch, n);
    }

    /** Median absolute deviation from the median. */
    public static double madOverTime(double[] vs, int from, int to, double[] scratch) {
        int n = to - from;
        System.arraycopy(vs, from, scratch, 0, n);
        double median = Quantiles.quantile(0.5, scratch, n);
        for (int i = 0; i < n; i++) {
            scratch[i] = Math.abs(vs[from + i] - median);
        }
        return Quantiles.quantile(0.5, scratch, n);
    }

    /** Number of times the value changed (NaN to NaN is no change). */
    public static double changes(double[] vs, int from, int to) {
        int changes = 0;
        double previous = vs[from];
        for (int i = from + 1; i < to; i++) {
            double current = vs[i];
            if (current != previous && !(Double.isNaN(current) && Double.isNaN(previous))) {
                changes++;
            }
            previous = current;
        }
        return changes;
    }

    /** Number of counter resets (a value lower than its predecessor). */
    public static double resets(double[] vs, int from, int to) {
        int resets = 0;
        double previous = vs[from];
        for (int i = from + 1; i < to; i++) {
            double current = vs[i];
            if (current < previous) {
                resets++;
            }
            previous = current;
        }
        return resets;
    }

    /** Per-second slope of the least-squares line through the window. */
    public static double deriv(long[] ts, double[] vs, int from, int to) {
        return linearRegression(ts, vs, from, to, ts[from], true);
    }

    /** Value the least-squares line predicts {@code seconds} after {@code evaluationMillis}. */
    public static double predictLinear(long[] ts, double[] vs, int from, int to, long evaluationMillis,
            double seconds) {
        double slope = linearRegression(ts, vs, from, to, evaluationMillis, true);
        double intercept = linearRegression(ts, vs, from, to, evaluationMillis, false);
        return slope * seconds + intercept;
    }

    /**
     * Least squares with x in seconds relative to {@code interceptMillis}, with compensated sums;
     * returns the slope, or the intercept when {@code slope} is false. Allocation-free.
     */
    static double linearRegression(long[] ts, double[] vs, int from, int to, long interceptMillis, boolean slope) {
        double n = 0;
        double sumX = 0;
        double cX = 0;
        double sumY = 0;
        double cY = 0;
        double sumXY = 0;
        double cXY = 0;
        double sumX2 = 0;
        double cX2 = 0;
        double initialY = vs[from];
        boolean constantY = true;
        for (int i = from; i < to; i++) {
            double y = vs[i];
            if (constantY && i > from && y != initialY) {
                constantY = false;
            }
            n++;
            double x = (ts[i] - interceptMillis) / 1e3;
            double t = sumX + x;
            cX = Double.isInfinite(t) ? 0 : cX + compensation(sumX, x, t);
            sumX = t;
            t = sumY + y;
            cY = Double.isInfinite(t) ? 0 : cY + compensation(sumY, y, t);
            sumY = t;
            double xy = x * y;
            t = sumXY + xy;
            cXY = Double.isInfinite(t) ? 0 : cXY + compensation(sumXY, xy, t);
            sumXY = t;
            double x2 = x * x;
            t = sumX2 + x2;
            cX2 = Double.isInfinite(t) ? 0 : cX2 + compensation(sumX2, x2, t);
            sumX2 = t;
        }
        if (constantY) {
            if (Double.isInfinite(initialY)) {
                return Double.NaN;
            }
            return slope ? 0 : initialY;
        }
        // Each compensation was reset to zero once its sum overflowed, as Kahan summation does.
        double sx = sumX + cX;
        double sy = sumY + cY;
        double sxy = sumXY + cXY;
        double sx2 = sumX2 + cX2;
        double covXY = sxy - sx * sy / n;
        double varX = sx2 - sx * sx / n;
        double result = covXY / varX;
        return slope ? result : sy / n - result * sx / n;
    }

    /** The Neumaier compensation term of adding {@code increment} to {@code sum} giving {@code total}. */
    private static double compensation(double sum, double increment, double total) {
        return Math.abs(sum) >= Math.abs(increment) ? (sum - total) + increment : (increment - total) + sum;
    }

    /**
     * Holt's linear (double exponential) smoothing; the caller validates
     * {@code 0 < smoothing < 1} and {@code 0 < trend < 1}.
     */
    public static double doubleExponentialSmoothing(double[] vs, int from, int to, double smoothing, double trend) {
        double s0 = 0;
        double s1 = vs[from];
        double b = vs[from + 1] - vs[from];
        for (int i = from + 1; i < to; i++) {
            double x = smoothing * vs[i];
            if (i - from - 1 > 0) {
                b = trend * (s1 - s0) + (1 - trend) * b;
            }
            double y = (1 - smoothing) * (s1 + b);
            s0 = s1;
            s1 = x + y;
        }
        return s1;
    }
}
