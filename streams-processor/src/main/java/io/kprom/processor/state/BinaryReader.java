package io.kprom.processor.state;

import java.nio.charset.StandardCharsets;

/** Reads what {@link BinaryWriter} wrote. Not thread-safe. */
public final class BinaryReader {
    private final byte[] buffer;
    private int position;

    public BinaryReader(byte[] buffer) {
        this.buffer = buffer;
    }

    public int readByte() {
        return buffer[position++] & 0xff;
    }

    public long readLong() {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (buffer[position++] & 0xff);
        }
        return value;
    }

    public double readDouble() {
        return Double.longBitsToDouble(readLong());
    }

    public int readVarInt() {
        int value = 0;
        int shift = 0;
        while (true) {
            int b = buffer[position++] & 0xff;
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
            shift += 7;
        }
    }

    public String readString() {
        int size = readVarInt();
        String value = new String(buffer, position, size, StandardCharsets.UTF_8);
        position += size;
        return value;
    }

    public String[] readStrings() {
        String[] values = new String[readVarInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = readString();
        }
        return values;
    }

    public boolean hasRemaining() {
        return position < buffer.length;
    }
}
