package io.kprom.sink.storage.chunk;

/**
 * Reads any chunk by its encoding byte, and picks the smallest encoding for a finished chunk.
 * See {@code docs/format.md}.
 */
public final class Chunks {
    private Chunks() {
    }

    public static ChunkDecoder decoder(byte[] chunk) {
        if (chunk.length == 0) {
            throw new CorruptChunkException("empty chunk");
        }
        return switch (chunk[0]) {
            case XorChunkEncoder.ENCODING_XOR -> new XorChunkDecoder(chunk);
            case DecimalChunkEncoder.ENCODING_DECIMAL -> new DecimalChunkDecoder(chunk);
            default -> throw new CorruptChunkException("unknown chunk encoding 0x" + Integer.toHexString(chunk[0] & 0xff));
        };
    }

    /**
     * The bytes of a finished chunk in its smallest encoding: the XOR bytes, or the decimal encoding
     * when every value is a decimal with at most six fraction digits that round-trips bit-exactly
     * and that encoding is smaller.
     */
    public static byte[] finish(XorChunkEncoder chunk) {
        byte[] xor = chunk.toBytes();
        byte[] decimal = DecimalChunkEncoder.tryEncode(chunk.view());
        return decimal != null && decimal.length < xor.length ? decimal : xor;
    }
}
