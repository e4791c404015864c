package io.kprom.processor.state;

import java.util.Arrays;

/** A growable list of longs without boxing. Not thread-safe. */
public final class LongList {
    private long[] values;
    private int size;

    public LongList(int expected) {
        values = new long[Math.max(4, expected)];
    }

    public void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[size++] = value;
    }

    public long get(int index) {
        if (index >= size) {
            throw new IndexOutOfBoundsException(index + " >= " + size);
        }
        return values[index];
    }

    public int size() {
        return size;
    }

    /** A sorted copy of the values. */
    public long[] toSortedArray() {
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        return sorted;
    }
}
