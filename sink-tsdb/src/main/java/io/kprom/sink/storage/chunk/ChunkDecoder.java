package io.kprom.sink.storage.chunk;

/**
 * Iterates the samples of one chunk: {@code while (d.next()) { d.timestamp(); d.value(); }}.
 * Obtain one with {@link Chunks#decoder(byte[])}. Not thread-safe; the bytes must not change while
 * decoding.
 */
public interface ChunkDecoder {
    /** Samples in the chunk. */
    int count();

    boolean next();

    long timestamp();

    double value();

    /** The raw bits of {@link #value()} (NaN payloads such as the stale marker preserved). */
    long valueBits();

    /**
     * Decodes the remaining samples up to the first one after {@code maxTime} (consumed, not written), writing
     * those at or after {@code minTime} into the arrays from {@code offset}; returns the offset after the last
     * one written. The arrays need room for {@link #count()} samples from {@code offset}.
     */
    default int decodeInto(long minTime, long maxTime, long[] timestamps, double[] values, int offset) {
        int out = offset;
        while (next()) {
            long t = timestamp();
            if (t > maxTime) {
                break;
            }
            if (t >= minTime) {
                timestamps[out] = t;
                values[out++] = value();
            }
        }
        return out;
    }
}
