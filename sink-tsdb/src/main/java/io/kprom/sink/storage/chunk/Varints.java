package io.kprom.sink.storage.chunk;

import java.io.ByteArrayOutputStream;

/** LEB128 unsigned varints and zigzag signed varints (as protobuf encodes them). */
public final class Varints {
    private Varints() {
    }

    public static void writeUnsigned(ByteArrayOutputStream out, long value) {
        long v = value;
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    public static void writeSigned(ByteArrayOutputStream out, long value) {
        writeUnsigned(out, (value << 1) ^ (value >> 63));
    }

    /** A cursor over a byte array for reading varints. Not thread-safe. */
    public static final class Reader {
        private final byte[] bytes;
        private int position;

        public Reader(byte[] bytes, int position) {
            this.bytes = bytes;
            this.position = position;
        }

        public int position() {
            return position;
        }

        public int readByte() {
            if (position >= bytes.length) {
                throw new CorruptChunkException("unexpected end of data at byte " + position);
            }
            return bytes[position++] & 0xff;
        }

        public long readUnsigned() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = readByte();
                result |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new CorruptChunkException("varint longer than 10 bytes at byte " + position);
        }

        public long readSigned() {
            long raw = readUnsigned();
            return (raw >>> 1) ^ -(raw & 1);
        }

        public byte[] readBytes(int length) {
            if (length < 0 || position + length > bytes.length) {
                throw new CorruptChunkException("length " + length + " exceeds data at byte " + position);
            }
            byte[] out = java.util.Arrays.copyOfRange(bytes, position, position + length);
            position += length;
            return out;
        }
    }
}
