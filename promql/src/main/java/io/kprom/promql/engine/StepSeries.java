package io.kprom.promql.engine;

import io.kprom.common.labels.Labels;

/**
 * One series of an instant-vector expression evaluated at every step of a {@link StepGrid}: a value
 * per step plus a presence bitmap (NaN is a legal value, so absence needs its own bit). This columnar
 * form lets operators work series by series with label work done once per series, not per step.
 * Not thread-safe; owned by the operator that produced it until handed to its parent.
 */
final class StepSeries {
    private Labels labels;
    private final double[] values;
    private final long[] present;

    StepSeries(Labels labels, int steps) {
        this.labels = labels;
        this.values = new double[steps];
        this.present = new long[(steps + 63) >>> 6];
    }

    Labels labels() {
        return labels;
    }

    void labels(Labels newLabels) {
        labels = newLabels;
    }

    int steps() {
        return values.length;
    }

    boolean has(int step) {
        return (present[step >>> 6] & (1L << step)) != 0;
    }

    double value(int step) {
        return values[step];
    }

    void set(int step, double value) {
        values[step] = value;
        present[step >>> 6] |= 1L << step;
    }

    void remove(int step) {
        present[step >>> 6] &= ~(1L << step);
    }

    int count() {
        int count = 0;
        for (long word : present) {
            count += Long.bitCount(word);
        }
        return count;
    }

    boolean isEmpty() {
        for (long word : present) {
            if (word != 0) {
                return false;
            }
        }
        return true;
    }

    /** First present step at or after {@code from}, or -1. */
    int nextPresent(int from) {
        if (from >= values.length) {
            return -1;
        }
        int wordIndex = from >>> 6;
        long word = present[wordIndex] & (-1L << from);
        while (true) {
            if (word != 0) {
                int step = (wordIndex << 6) + Long.numberOfTrailingZeros(word);
                return step < values.length ? step : -1;
            }
            if (++wordIndex == present.length) {
                return -1;
            }
            word = present[wordIndex];
        }
    }

    /** Copies present points of {@code other} into this series; false if both have a point at one step. */
    boolean mergeFrom(StepSeries other) {
        for (int i = 0; i < present.length; i++) {
            if ((present[i] & other.present[i]) != 0) {
                return false;
            }
        }
        for (int step = other.nextPresent(0); step >= 0; step = other.nextPresent(step + 1)) {
            set(step, other.values[step]);
        }
        return true;
    }
}
