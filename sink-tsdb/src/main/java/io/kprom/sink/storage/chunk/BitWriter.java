package io.kprom.sink.storage.chunk;

import java.util.Arrays;

/**
 * Appends bits most-significant first into a growing byte array. Bits already written never change,
 * so a reader given {@link #buffer()} and {@link #bitLength()} may decode them while the writer keeps
 * appending (the writer only sets bits past that length; a grown array is a new array). Not
 * thread-safe for more than one writer.
 */
final class BitWriter {
    private byte[] buffer;
    private long bitLength;

    BitWriter(int initialBytes) {
        buffer = new byte[Math.max(1, initialBytes)];
    }

    byte[] buffer() {
        return buffer;
    }

    long bitLength() {
        return bitLength;
    }

    void writeBit(boolean bit) {
        ensure(1);
        if (bit) {
            buffer[(int) (bitLength >>> 3)] |= (byte) (0x80 >>> (bitLength & 7));
        }
        bitLength++;
    }

    /** Writes the low {@code count} bits of {@code value}, highest first; {@code count} in [0, 64]. */
    void writeBits(long value, int count) {
        ensure(count);
        int remaining = count;
        while (remaining > 0) {
            int byteIndex = (int) (bitLength >>> 3);
            int freeInByte = 8 - (int) (bitLength & 7);
            int take = Math.min(freeInByte, remaining);
            int chunk = (int) ((value >>> (remaining - take)) & ((1 << take) - 1));
            buffer[byteIndex] |= (byte) (chunk << (freeInByte - take));
            bitLength += take;
            remaining -= take;
        }
    }

    private void ensure(int bits) {
        long neededBytes = (bitLength + bits + 7) >>> 3;
        if (neededBytes > buffer.length) {
            buffer = Arrays.copyOf(buffer, (int) Math.max(neededBytes, buffer.length * 2L));
        }
    }
}
