package io.kprom.processor.state;

import java.util.Arrays;

/** Open-addressing set of longs without boxing, for per-scrape series hashes. Not thread-safe. */
public final class LongHashSet {
    private static final long EMPTY = 0L;
    private long[] slots;
    private boolean containsZero;
    private int size;

    public LongHashSet(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        slots = new long[capacity];
    }

    /** Adds the value; false when it was already present. */
    public boolean add(long value) {
        if (value == EMPTY) {
            if (containsZero) {
                return false;
            }
            containsZero = true;
            size++;
            return true;
        }
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        int mask = slots.length - 1;
        int index = mix(value) & mask;
        while (slots[index] != EMPTY) {
            if (slots[index] == value) {
                return false;
            }
            index = (index + 1) & mask;
        }
        slots[index] = value;
        size++;
        return true;
    }

    public boolean contains(long value) {
        if (value == EMPTY) {
            return containsZero;
        }
        int mask = slots.length - 1;
        int index = mix(value) & mask;
        while (slots[index] != EMPTY) {
            if (slots[index] == value) {
                return true;
            }
            index = (index + 1) & mask;
        }
        return false;
    }

    public int size() {
        return size;
    }

    /** The values, sorted ascending. */
    public long[] toSortedArray() {
        long[] values = new long[size];
        int i = 0;
        if (containsZero) {
            values[i++] = 0L;
        }
        for (long slot : slots) {
            if (slot != EMPTY) {
                values[i++] = slot;
            }
        }
        Arrays.sort(values);
        return values;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        int mask = slots.length - 1;
        for (long value : old) {
            if (value != EMPTY) {
                int index = mix(value) & mask;
                while (slots[index] != EMPTY) {
                    index = (index + 1) & mask;
                }
                slots[index] = value;
            }
        }
    }

    private static int mix(long value) {
        long h = value * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
