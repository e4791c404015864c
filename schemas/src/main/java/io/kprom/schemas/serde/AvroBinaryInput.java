package io.kprom.schemas.serde;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads Avro binary encoding from a byte array, bounds-checked: a truncated or corrupt body throws
 * {@link IllegalStateException} (the codec turns it into a {@link DecodeException}), and a corrupt
 * length never allocates more than the remaining bytes could hold.
 *
 * <p>Short ASCII strings (label names and most label values) are deduplicated through a small
 * per-thread table, so a label set decoded every scrape reuses the same {@code String} instances:
 * no new objects, and their hash codes are already cached for the maps downstream. Not thread-safe;
 * one per decode call.
 */
final class AvroBinaryInput {
    private static final int CACHE_SIZE = 8192;
    private static final int MAX_CACHED_LENGTH = 96;
    private static final ThreadLocal<StringTable> TABLES = ThreadLocal.withInitial(StringTable::new);

    private final byte[] data;
    private final int limit;
    private final StringTable strings = TABLES.get();
    private int position;

    AvroBinaryInput(byte[] data, int offset) {
        this.data = data;
        this.position = offset;
        this.limit = data.length;
    }

    boolean isEnd() {
        return position == limit;
    }

    long readLong() {
        long result = 0;
        int shift = 0;
        while (true) {
            if (position >= limit) {
                throw new IllegalStateException("truncated varint at byte " + position);
            }
            int b = data[position++] & 0xFF;
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
            if (shift > 63) {
                throw new IllegalStateException("varint longer than 10 bytes at byte " + position);
            }
        }
        return (result >>> 1) ^ -(result & 1);
    }

    int readInt() {
        long value = readLong();
        if (value != (int) value) {
            throw new IllegalStateException("int out of range: " + value);
        }
        return (int) value;
    }

    boolean readBoolean() {
        require(1);
        return data[position++] != 0;
    }

    double readDouble() {
        require(8);
        long bits = 0;
        for (int i = 7; i >= 0; i--) {
            bits = (bits << 8) | (data[position + i] & 0xFF);
        }
        position += 8;
        return Double.longBitsToDouble(bits);
    }

    /** A union branch or enum index within {@code [0, count)}. */
    int readIndex(int count) {
        int index = readInt();
        if (index < 0 || index >= count) {
            throw new IllegalStateException("index " + index + " outside [0, " + count + ")");
        }
        return index;
    }

    String readString() {
        long length = readLong();
        if (length < 0 || length > limit - position) {
            throw new IllegalStateException("string length " + length + " exceeds the " + (limit - position) + " bytes left");
        }
        int len = (int) length;
        String value = len <= MAX_CACHED_LENGTH ? strings.lookup(data, position, len) : null;
        if (value == null) {
            value = new String(data, position, len, StandardCharsets.UTF_8);
        }
        position += len;
        return value;
    }

    /**
     * Item count of the next array block; 0 ends the array. Negative counts (a block followed by its
     * byte size, allowed by the spec) are read as their absolute value.
     */
    long readBlockCount() {
        long count = readLong();
        if (count < 0) {
            count = -count;
            readLong();
        }
        if (count > limit - position) {
            // Every item takes at least one byte.
            throw new IllegalStateException("array block of " + count + " items exceeds the " + (limit - position) + " bytes left");
        }
        return count;
    }

    List<String> readStringArray() {
        long count = readBlockCount();
        List<String> values = new ArrayList<>((int) count);
        while (count > 0) {
            for (long i = 0; i < count; i++) {
                values.add(readString());
            }
            count = readBlockCount();
        }
        return values;
    }

    List<Long> readLongArray() {
        long count = readBlockCount();
        List<Long> values = new ArrayList<>((int) count);
        while (count > 0) {
            for (long i = 0; i < count; i++) {
                values.add(readLong());
            }
            count = readBlockCount();
        }
        return values;
    }

    List<Double> readDoubleArray() {
        long count = readBlockCount();
        List<Double> values = new ArrayList<>((int) count);
        while (count > 0) {
            for (long i = 0; i < count; i++) {
                values.add(readDouble());
            }
            count = readBlockCount();
        }
        return values;
    }

    List<Integer> readIntArray() {
        long count = readBlockCount();
        List<Integer> values = new ArrayList<>((int) count);
        while (count > 0) {
            for (long i = 0; i < count; i++) {
                values.add(readInt());
            }
            count = readBlockCount();
        }
        return values;
    }

    private void require(int bytes) {
        if (limit - position < bytes) {
            throw new IllegalStateException("truncated body: " + bytes + " bytes needed at byte " + position);
        }
    }

    /** Direct-mapped table of recently decoded ASCII strings, keyed by their bytes. */
    private static final class StringTable {
        private final String[] strings = new String[CACHE_SIZE];
        private final byte[][] bytes = new byte[CACHE_SIZE][];

        /** The cached string for these bytes (caching it when new), or null when they are not ASCII. */
        String lookup(byte[] data, int offset, int length) {
            int h = length;
            for (int i = offset, end = offset + length; i < end; i++) {
                byte b = data[i];
                if (b < 0) {
                    return null;
                }
                h = 31 * h + b;
            }
            int slot = (h ^ (h >>> 13)) & (CACHE_SIZE - 1);
            byte[] cached = bytes[slot];
            if (cached != null && Arrays.equals(cached, 0, cached.length, data, offset, offset + length)) {
                return strings[slot];
            }
            // ASCII is ISO-8859-1: the JDK copies the bytes into a compact string without decoding.
            String value = new String(data, offset, length, StandardCharsets.ISO_8859_1);
            bytes[slot] = Arrays.copyOfRange(data, offset, offset + length);
            strings[slot] = value;
            return value;
        }
    }
}
