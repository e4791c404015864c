package io.kprom.promql.functions;

/**
 * Kahan–Neumaier compensated summation, as Prometheus uses for {@code sum}, {@code avg},
 * {@code sum_over_time}, {@code avg_over_time} and the variance functions. Mutable and reusable:
 * {@link #reset()} between groups so hot loops allocate nothing. Not thread-safe.
 */
public final class KahanSum {
    private double sum;
    private double compensation;

    public void reset() {
        sum = 0;
        compensation = 0;
    }

    /** Sets the running sum to a start value with no compensation. */
    public void set(double value) {
        sum = value;
        compensation = 0;
    }

    public void add(double increment) {
        double t = sum + increment;
        if (Double.isInfinite(t)) {
            compensation = 0;
        } else if (Math.abs(sum) >= Math.abs(increment)) {
            compensation += (sum - t) + increment;
        } else {
            compensation += (increment - t) + sum;
        }
        sum = t;
    }

    /** The raw running sum without the compensation term. */
    public double rawSum() {
        return sum;
    }

    public double compensation() {
        return compensation;
    }

    /** The compensated total; an infinite sum is returned as is (the compensation is meaningless then). */
    public double value() {
        return Double.isInfinite(sum) ? sum : sum + compensation;
    }

    /** Scales sum and compensation, used by the incremental-mean fallback on overflow. */
    public void scale(double factor) {
        sum *= factor;
        compensation *= factor;
    }
}
