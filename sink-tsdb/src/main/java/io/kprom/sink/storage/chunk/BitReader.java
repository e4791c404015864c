package io.kprom.sink.storage.chunk;

/** Reads bits most-significant first from a byte array, starting at a byte offset. Not thread-safe. */
final class BitReader {
    private final byte[] buffer;
    private long position;
    private final long limit;

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
        long value = 0;
        int remaining = count;
        while (remaining > 0) {
            int availableInByte = 8 - (int) (position & 7);
            int take = Math.min(availableInByte, remaining);
            int current = buffer[(int) (position >>> 3)] & 0xff;
            int chunk = (current >>> (availableInByte - take)) & ((1 << take) - 1);
            value = (value << take) | chunk;
            position += take;
            remaining -= take;
        }
        return value;
    }

    private void check(int bits) {
        if (position + bits > limit) {
            throw new CorruptChunkException("chunk ends after " + (limit) + " bits; needed " + bits + " more at bit " + position);
        }
    }
}
