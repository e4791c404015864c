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
}
