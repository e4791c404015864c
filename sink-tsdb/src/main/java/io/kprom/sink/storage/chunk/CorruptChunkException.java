package io.kprom.sink.storage.chunk;

/** A chunk's bytes do not follow the format in {@code docs/format.md}. */
public final class CorruptChunkException extends RuntimeException {
    public CorruptChunkException(String message) {
        super(message);
    }
}
