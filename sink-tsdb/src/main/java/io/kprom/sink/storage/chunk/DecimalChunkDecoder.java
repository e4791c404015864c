package io.kprom.sink.storage.chunk;

/** Decodes chunks written by {@link DecimalChunkEncoder}. Not thread-safe. */
final class DecimalChunkDecoder implements ChunkDecoder {
    private final BitReader bits;
    private final int count;
    private final long firstTimestamp;
    private final double power;
    private int index;
    private long timestamp;
    private long timeDelta;
    private long mantissa;
    private long delta;
    private double value;

    DecimalChunkDecoder(byte[] chunk) {
        Varints.Reader reader = new Varints.Reader(chunk, 0);
        int encoding = reader.readByte();
        if (encoding != DecimalChunkEncoder.ENCODING_DECIMAL) {
            throw new CorruptChunkException("not a decimal chunk: encoding 0x" + Integer.toHexString(encoding));
        }
        long samples = reader.readUnsigned();
        if (samples > Integer.MAX_VALUE) {
            throw new CorruptChunkException("sample count " + samples + " too large");
        }
        count = (int) samples;
        firstTimestamp = reader.readSigned();
        int scale = reader.readByte();
        if (scale > DecimalChunkEncoder.MAX_SCALE) {
            throw new CorruptChunkException("decimal scale " + scale + " above " + DecimalChunkEncoder.MAX_SCALE);
        }
        power = DecimalChunkEncoder.POWERS[scale];
        int offset = reader.position();
        bits = new BitReader(chunk, offset, (long) (chunk.length - offset) << 3);
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
            mantissa = bits.readBits(64);
        } else {
            timeDelta += DeltaOfDelta.readTimestamp(bits);
            timestamp += timeDelta;
            delta += DeltaOfDelta.readValue(bits);
            mantissa += delta;
        }
        value = mantissa / power;
        index++;
        return true;
    }

    @Override
    public long timestamp() {
        return timestamp;
    }

    @Override
    public double value() {
        return value;
    }

    @Override
    public long valueBits() {
        return Double.doubleToRawLongBits(value);
    }
}
