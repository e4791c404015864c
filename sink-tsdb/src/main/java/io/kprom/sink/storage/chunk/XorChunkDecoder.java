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

    /**
     * {@inheritDoc}
     *
     * <p>The hot loop of every query: the bit stream is read with the state in locals and one bounds
     * check per sample instead of one per field.
     */
    @Override
    public int decodeInto(long minTime, long maxTime, long[] timestamps, double[] values, int offset) {
        byte[] buffer = bits.buffer;
        long position = bits.position;
        long limit = bits.limit;
        int i = index;
        long t = timestamp;
        long d = delta;
        long vBits = valueBits;
        int lead = leading;
        int trail = trailing;
        int out = offset;
        try {
            while (i < count) {
                if (i == 0) {
                    t = firstTimestamp;
                    vBits = BitReader.peek(buffer, position, 64);
                    position += 64;
                } else {
                    // One 64-bit look-ahead holds both control prefixes (at most 4 + 20 + 2 + 11 bits) unless
                    // the delta of delta needs 64 bits; fields are cut from it with shifts (arithmetic shifts
                    // sign-extend the delta of delta).
                    long ahead = BitReader.peek(buffer, position, 64);
                    int used;
                    long dod;
                    if (ahead >= 0) {
                        dod = 0;
                        used = 1;
                    } else if ((ahead << 1) >= 0) {
                        dod = (ahead << 2) >> 57;
                        used = 9;
                    } else if ((ahead << 2) >= 0) {
                        dod = (ahead << 3) >> 50;
                        used = 17;
                    } else if ((ahead << 3) >= 0) {
                        dod = (ahead << 4) >> 44;
                        used = 24;
                    } else {
                        dod = BitReader.peek(buffer, position + 4, 64);
                        position += 68;
                        ahead = BitReader.peek(buffer, position, 64);
                        used = 0;
                    }
                    d += dod;
                    t += d;
                    long value = ahead << used;
                    if (value >= 0) {
                        position += used + 1;
                    } else {
                        if ((value << 1) >= 0) {
                            position += used + 2;
                        } else {
                            lead = (int) ((value << 2) >>> 59);
                            int significant = (int) ((value << 7) >>> 58);
                            position += used + 13;
                            if (significant == 0) {
                                significant = 64;
                            }
                            trail = 64 - lead - significant;
                            if (trail < 0) {
                                throw new CorruptChunkException("leading " + lead + " + significant " + significant
                                        + " exceed 64 bits");
                            }
                        }
                        int significant = 64 - lead - trail;
                        vBits ^= BitReader.peek(buffer, position, significant) << trail;
                        position += significant;
                    }
                }
                if (position > limit) {
                    throw new CorruptChunkException("chunk ends after " + limit + " bits; sample " + i + " ends at bit "
                            + position);
                }
                i++;
                if (t > maxTime) {
                    break;
                }
                if (t >= minTime) {
                    timestamps[out] = t;
                    values[out++] = Double.longBitsToDouble(vBits);
                }
            }
        } finally {
            bits.position = position;
            index = i;
            timestamp = t;
            delta = d;
            valueBits = vBits;
            leading = lead;
            trailing = trail;
        }
        return out;
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
