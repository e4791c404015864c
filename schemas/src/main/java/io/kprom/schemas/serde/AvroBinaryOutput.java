package io.kprom.schemas.serde;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Writes Avro binary encoding (zig-zag varints, little-endian doubles, length-prefixed UTF-8,
 * blocked arrays) into a growable buffer that is reused between values. One per thread
 * ({@link #forThread()}); the buffer belongs to this object and {@link #toByteArray} copies it out.
 */
final class AvroBinaryOutput {
    private static final ThreadLocal<AvroBinaryOutput> PER_THREAD = ThreadLocal.withInitial(AvroBinaryOutput::new);
    /** Above this the buffer is released after use, so one huge value does not pin memory in every thread. */
    private static final int RETAINED_CAPACITY = 4 << 20;

    private byte[] buffer = new byte[8192];
    private int position;

    static AvroBinaryOutput forThread() {
        AvroBinaryOutput out = PER_THREAD.get();
        out.position = 0;
        return out;
    }

    void writeBytes(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, position, bytes.length);
        position += bytes.length;
    }

    void writeLong(long value) {
        ensure(10);
        long n = (value << 1) ^ (value >> 63);
        while ((n & ~0x7FL) != 0) {
            buffer[position++] = (byte) ((n & 0x7F) | 0x80);
            n >>>= 7;
        }
        buffer[position++] = (byte) n;
    }

    void writeInt(int value) {
        writeLong(value);
    }

    void writeBoolean(boolean value) {
        ensure(1);
        buffer[position++] = (byte) (value ? 1 : 0);
    }

    /** Raw IEEE bits, as Avro writes them: a stale-marker NaN keeps its payload. */
    void writeDouble(double value) {
        ensure(8);
        long bits = Double.doubleToRawLongBits(value);
        for (int i = 0; i < 8; i++) {
            buffer[position++] = (byte) (bits >>> (8 * i));
        }
    }

    void writeString(CharSequence value) {
        int length = value.length();
        ensure(length + 5);
        int lengthAt = position;
        // Optimistic ASCII path: one byte per char, length prefix known up front.
        int start = position + varLongSize(length);
        int i = 0;
        for (; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                break;
            }
            buffer[start + i] = (byte) c;
        }
        if (i == length) {
            writeLong(length);
            position = start + length;
            return;
        }
        position = lengthAt;
        byte[] utf8 = value.toString().getBytes(StandardCharsets.UTF_8);
        writeLong(utf8.length);
        writeBytes(utf8);
    }

    void writeStringArray(List<? extends CharSequence> values) {
        int size = values.size();
        if (size > 0) {
            writeLong(size);
            for (int i = 0; i < size; i++) {
                writeString(values.get(i));
            }
        }
        writeLong(0);
    }

    void writeLongArray(List<Long> values) {
        int size = values.size();
        if (size > 0) {
            writeLong(size);
            for (int i = 0; i < size; i++) {
                writeLong(values.get(i));
            }
        }
        writeLong(0);
    }

    void writeDoubleArray(List<Double> values) {
        int size = values.size();
        if (size > 0) {
            writeLong(size);
            ensure(8 * size);
            for (int i = 0; i < size; i++) {
                writeDouble(values.get(i));
            }
        }
        writeLong(0);
    }

    void writeIntArray(List<Integer> values) {
        int size = values.size();
        if (size > 0) {
            writeLong(size);
            for (int i = 0; i < size; i++) {
                writeInt(values.get(i));
            }
        }
        writeLong(0);
    }

    /** A copy of what was written; releases an oversized buffer. */
    byte[] toByteArray() {
        byte[] result = Arrays.copyOf(buffer, position);
        if (buffer.length > RETAINED_CAPACITY) {
            buffer = new byte[8192];
        }
        position = 0;
        return result;
    }

    private static int varLongSize(long value) {
        long n = (value << 1) ^ (value >> 63);
        int size = 1;
        while ((n & ~0x7FL) != 0) {
            n >>>= 7;
            size++;
        }
        return size;
    }

    private void ensure(int more) {
        if (position + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, position + more));
        }
    }
}
