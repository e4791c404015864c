package io.kprom.sink.storage.chunk;

import java.io.ByteArrayOutputStream;

/**
 * Encodes one series' samples into a chunk: delta-of-delta timestamps and XOR'd float values
 * (Gorilla-style; the byte layout is in {@code sink-tsdb/docs/format.md}). Values are kept bit-exact
 * (any NaN payload, e.g. the stale marker, survives).
 *
 * <p>Single writer. Concurrent readers use {@link #view()}: a view decodes the samples appended
 * before it was taken even while the writer continues (bits once written never change).
 */
public final class XorChunkEncoder {
    /** Encoding byte of a float chunk: the first byte of every serialized chunk. */
    public static final int ENCODING_XOR = 0x01;

    private final BitWriter bits = new BitWriter(32);
    private int count;
    private long firstTimestamp;
    private long lastTimestamp;
    private long lastDelta;
    private long lastValueBits;
    private int leading = -1;
    private int trailing;

    public int count() {
        return count;
    }

    /** First timestamp; undefined when empty. */
    public long minTime() {
        return firstTimestamp;
    }

    /** Last timestamp; undefined when empty. */
    public long maxTime() {
        return lastTimestamp;
    }

    /** Appends a sample; the caller keeps timestamps strictly ascending. */
    public void append(long timestampMillis, double value) {
        long valueBits = Double.doubleToRawLongBits(value);
        if (count == 0) {
            firstTimestamp = timestampMillis;
            bits.writeBits(valueBits, 64);
        } else {
            long delta = timestampMillis - lastTimestamp;
            writeDeltaOfDelta(delta - lastDelta);
            lastDelta = delta;
            writeValue(valueBits);
        }
        lastTimestamp = timestampMillis;
        lastValueBits = valueBits;
        count++;
    }

    private void writeDeltaOfDelta(long dod) {
        DeltaOfDelta.writeTimestamp(bits, dod);
    }

    private void writeValue(long valueBits) {
        long xor = valueBits ^ lastValueBits;
        if (xor == 0) {
            bits.writeBit(false);
            return;
        }
        int newLeading = Math.min(Long.numberOfLeadingZeros(xor), 31);
        int newTrailing = Long.numberOfTrailingZeros(xor);
        if (leading >= 0 && newLeading >= leading && newTrailing >= trailing) {
            bits.writeBits(0b10, 2);
            bits.writeBits(xor >>> trailing, 64 - leading - trailing);
            return;
        }
        leading = newLeading;
        trailing = newTrailing;
        int significant = 64 - leading - trailing;
        bits.writeBits(0b11, 2);
        bits.writeBits(leading, 5);
        bits.writeBits(significant == 64 ? 0 : significant, 6);
        bits.writeBits(xor >>> trailing, significant);
    }

    /** The chunk's bytes: header (encoding, count, first timestamp) then the bit stream. */
    public byte[] toBytes() {
        return view().toBytes();
    }

    /** An immutable view of the samples appended so far; cheap (no copy). */
    public View view() {
        return new View(bits.buffer(), bits.bitLength(), count, firstTimestamp, lastTimestamp);
    }

    /** Rebuilds an encoder holding the samples of a serialized chunk, to append more to it. */
    public static XorChunkEncoder resume(byte[] chunk) {
        ChunkDecoder decoder = Chunks.decoder(chunk);
        XorChunkEncoder encoder = new XorChunkEncoder();
        while (decoder.next()) {
            encoder.append(decoder.timestamp(), decoder.value());
        }
        return encoder;
    }

    /**
     * Samples of a chunk at one moment.
     *
     * @param buffer bit stream (shared with the writer; only the first {@code bitLength} bits are read)
     * @param bitLength valid bits
     * @param count samples
     * @param minTime first timestamp
     * @param maxTime last timestamp
     */
    public record View(byte[] buffer, long bitLength, int count, long minTime, long maxTime) {
        public XorChunkDecoder decoder() {
            return new XorChunkDecoder(buffer, 0, bitLength, count, minTime);
        }

        public byte[] toBytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) (bitLength >>> 3) + 12);
            out.write(ENCODING_XOR);
            Varints.writeUnsigned(out, count);
            Varints.writeSigned(out, count == 0 ? 0 : minTime);
            out.write(buffer, 0, (int) ((bitLength + 7) >>> 3));
            return out.toByteArray();
        }
    }
}
