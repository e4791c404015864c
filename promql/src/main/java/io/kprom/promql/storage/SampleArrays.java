package io.kprom.promql.storage;

import java.util.Arrays;

/**
 * Growable parallel arrays of timestamps (milliseconds) and float values: the engine's unit of
 * raw data, free of per-sample boxing. Not thread-safe; readers use {@code length()} entries.
 */
public final class SampleArrays {
    private long[] timestamps;
    private double[] values;
    private int length;

    public SampleArrays() {
        this(16);
    }

    public SampleArrays(int capacity) {
        timestamps = new long[Math.max(1, capacity)];
        values = new double[Math.max(1, capacity)];
    }

    public static SampleArrays of(long[] timestamps, double[] values) {
        if (timestamps.length != values.length) {
            throw new IllegalArgumentException("timestamps and values differ in length");
        }
        SampleArrays arrays = new SampleArrays(0);
        arrays.timestamps = timestamps;
        arrays.values = values;
        arrays.length = timestamps.length;
        return arrays;
    }

    public void add(long timestampMillis, double value) {
        if (length == timestamps.length) {
            int capacity = timestamps.length * 2;
            timestamps = Arrays.copyOf(timestamps, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        timestamps[length] = timestampMillis;
        values[length] = value;
        length++;
    }

    public void clear() {
        length = 0;
    }

    public int length() {
        return length;
    }

    public long timestamp(int index) {
        return timestamps[index];
    }

    public double value(int index) {
        return values[index];
    }

    /** Backing array; valid entries are {@code [0, length())}. */
    public long[] timestampArray() {
        return timestamps;
    }

    /** Backing array; valid entries are {@code [0, length())}. */
    public double[] valueArray() {
        return values;
    }

    public SampleArrays copy() {
        return of(Arrays.copyOf(timestamps, length), Arrays.copyOf(values, length));
    }
}
