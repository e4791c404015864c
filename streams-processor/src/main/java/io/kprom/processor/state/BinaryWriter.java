package io.kprom.processor.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Growable big-endian byte writer for the processor's state-store values. Not thread-safe.
 * Strings are written as a varint length plus UTF-8 bytes.
 */
public final class BinaryWriter {
    private byte[] buffer;
    private int length;

    public BinaryWriter(int capacity) {
        buffer = new byte[Math.max(16, capacity)];
    }

    public BinaryWriter writeByte(int value) {
        ensure(1);
        buffer[length++] = (byte) value;
        return this;
    }

    public BinaryWriter writeLong(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[length++] = (byte) (value >>> shift);
        }
        return this;
    }

    public BinaryWriter writeDouble(double value) {
        return writeLong(Double.doubleToRawLongBits(value));
    }

    public BinaryWriter writeVarInt(int value) {
        ensure(5);
        int v = value;
        while ((v & ~0x7f) != 0) {
            buffer[length++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        buffer[length++] = (byte) v;
        return this;
    }

    public BinaryWriter writeString(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeVarInt(bytes.length);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
        return this;
    }

    /** Count followed by each string. */
    public BinaryWriter writeStrings(String[] values) {
        writeVarInt(values.length);
        for (String value : values) {
            writeString(value);
        }
        return this;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, length);
    }

    private void ensure(int extra) {
        if (length + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + extra));
        }
    }
}
