package io.kprom.sink.storage.chunk;

/**
 * Iterates the samples of a chunk written by {@link XorChunkEncoder}:
 * {@code while (d.next()) { d.timestamp(); d.value(); }}. Not thread-safe; the byte array is not
 * copied and must not change while decoding.
 */
public final class XorChunkDecoder implements ChunkDecoder {
    private final BitReader bits;
    private final int count;
    private final long firstTimestamp;
    private int index;
    private long timestamp;
    private long delta;
    private long valueBits;
    private int leading;
    private int trailing;

    /** Decodes a serialized chunk (header + bit stream). */
    public XorChunkDecoder(byte[] chunk) {
        Varints.Reader reader = new Varints.Reader(chunk, 0);
        int encoding = reader.readByte();
        if (encoding != XorChunkEncoder.ENCODING_XOR) {
            throw new CorruptChunkException("unknown chunk encoding 0x" + Integer.toHexString(encoding));
        }
        long samples = reader.readUnsigned();
        if (samples > Integer.MAX_VALUE) {
            throw new CorruptChunkException("sample count " + samples + " too large");
        }
        this.count = (int) samples;
        this.firstTimestamp = reader.readSigned();
        int offset = reader.position();
        this.bits = new BitReader(chunk, offset, (long) (chunk.length - offset) << 3);
    }

    XorChunkDecoder(byte[] buffer, int byteOffset, long bitLength, int count, long firstTimestamp) {
        this.bits = new BitReader(buffer, byteOffset, bitLength);
        this.count = count;
        this.firstTimestamp = firstTimestamp;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public boolean next() {
        if (index >= count) {
            return false;
        }
        if (index == 0) {
            timestamp = firstTimestamp;
            valueBits = bits.readBits(64);
        } else {
            delta += readDeltaOfDelta();
            timestamp += delta;
            readValue();
        }
        index++;
        return true;
    }

    @Override
    public long timestamp() {
        return timestamp;
    }

    @Override
    public double value() {
        return Double.longBitsToDouble(valueBits);
    }

    @Override
    public long valueBits() {
        return valueBits;
    }

    private long readDeltaOfDelta() {
        return DeltaOfDelta.readTimestamp(bits);
    }

    private void readValue() {
        if (!bits.readBit()) {
            return;
        }
        if (bits.readBit()) {
            leading = (int) bits.readBits(5);
            int significant = (int) bits.readBits(6);
            if (significant == 0) {
                significant = 64;
            }
            trailing = 64 - leading - significant;
            if (trailing < 0) {
                throw new CorruptChunkException("leading " + leading + " + significant " + significant + " exceed 64 bits");
            }
        }
        int significant = 64 - leading - trailing;
        valueBits ^= bits.readBits(significant) << trailing;
    }
}
