package io.kprom.sink.storage.chunk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads bits most-significant first from a byte array, starting at a byte offset. Hot (every sample of
 * every query passes through it): multi-bit reads take one 8-byte big-endian load plus at most one
 * more byte instead of a loop per byte. Not thread-safe.
 */
final class BitReader {
    private static final VarHandle LONG_BIG_ENDIAN = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    final byte[] buffer;
    /** Next bit to read (absolute, counted from the start of {@link #buffer}). */
    long position;
    /** First bit past the data. */
    final long limit;

    BitReader(byte[] buffer, int byteOffset, long bitLimit) {
        this.buffer = buffer;
        this.position = (long) byteOffset << 3;
        this.limit = ((long) byteOffset << 3) + bitLimit;
    }

    boolean readBit() {
        check(1);
        boolean bit = (buffer[(int) (position >>> 3)] & (0x80 >>> (position & 7))) != 0;
        position++;
        return bit;
    }

    /** Reads {@code count} bits (0..64) as an unsigned value. */
    long readBits(int count) {
        check(count);
        if (count == 0) {
            return 0;
        }
        long value = peek(buffer, position, count);
        position += count;
        return value;
    }

    /**
     * The {@code count} bits (1..64) at bit {@code position} as an unsigned value, reading zeros past the
     * end of the buffer (callers that skip {@link #check} compare their position with the limit after).
     */
    static long peek(byte[] buffer, long position, int count) {
        int byteIndex = (int) (position >>> 3);
        int bitOffset = (int) (position & 7);
        long value = (wordAt(buffer, byteIndex) << bitOffset) >>> (64 - count);
        int beyond = bitOffset + count - 64;
        if (beyond > 0 && byteIndex + 8 < buffer.length) {
            // The read ends in the ninth byte: its top bits fill the low end of the value.
            value |= (buffer[byteIndex + 8] & 0xff) >>> (8 - beyond);
        }
        return value;
    }

    /** The bit at {@code position} (0 or 1), zero past the end of the buffer. */
    static int bit(byte[] buffer, long position) {
        int byteIndex = (int) (position >>> 3);
        return byteIndex < buffer.length ? (buffer[byteIndex] >>> (7 - (int) (position & 7))) & 1 : 0;
    }

    /** Eight bytes from {@code byteIndex}, big-endian, zero-padded past the end of the buffer. */
    private static long wordAt(byte[] buffer, int byteIndex) {
        if (byteIndex >= 0 && byteIndex + 8 <= buffer.length) {
            return (long) LONG_BIG_ENDIAN.get(buffer, byteIndex);
        }
        long word = 0;
        for (int i = 0; i < 8; i++) {
            int index = byteIndex + i;
            word = (word << 8) | (index < buffer.length ? buffer[index] & 0xff : 0);
        }
        return word;
    }

    private void check(int bits) {
        if (position + bits > limit) {
            throw new CorruptChunkException("chunk ends after " + (limit) + " bits; needed " + bits + " more at bit " + position);
        }
    }
}
