package io.kprom.sink.storage.chunk;

/** The variable-width delta-of-delta fields of {@code docs/format.md}. */
final class DeltaOfDelta {
    private DeltaOfDelta() {
    }

    /** Timestamps: {@code 0}, {@code 10}+7, {@code 110}+14, {@code 1110}+20, {@code 1111}+64 bits. */
    static void writeTimestamp(BitWriter bits, long dod) {
        if (dod == 0) {
            bits.writeBit(false);
        } else if (fits(dod, 7)) {
            // Scrape jitter of a few milliseconds lands here: 9 bits instead of Gorilla's 16.
            bits.writeBits(0b10, 2);
            bits.writeBits(dod, 7);
        } else if (fits(dod, 14)) {
            bits.writeBits(0b110, 3);
            bits.writeBits(dod, 14);
        } else if (fits(dod, 20)) {
            bits.writeBits(0b1110, 4);
            bits.writeBits(dod, 20);
        } else {
            bits.writeBits(0b1111, 4);
            bits.writeBits(dod, 64);
        }
    }

    static long readTimestamp(BitReader bits) {
        if (!bits.readBit()) {
            return 0;
        }
        if (!bits.readBit()) {
            return signExtend(bits.readBits(7), 7);
        }
        if (!bits.readBit()) {
            return signExtend(bits.readBits(14), 14);
        }
        if (!bits.readBit()) {
            return signExtend(bits.readBits(20), 20);
        }
        return bits.readBits(64);
    }

    /** Decimal values: {@code 0}, {@code 10}+6, {@code 110}+12, {@code 1110}+20, {@code 11110}+32, {@code 11111}+64 bits. */
    static void writeValue(BitWriter bits, long dod) {
        if (dod == 0) {
            bits.writeBit(false);
        } else if (fits(dod, 6)) {
            bits.writeBits(0b10, 2);
            bits.writeBits(dod, 6);
        } else if (fits(dod, 12)) {
            bits.writeBits(0b110, 3);
            bits.writeBits(dod, 12);
        } else if (fits(dod, 20)) {
            bits.writeBits(0b1110, 4);
            bits.writeBits(dod, 20);
        } else if (fits(dod, 32)) {
            bits.writeBits(0b11110, 5);
            bits.writeBits(dod, 32);
        } else {
            bits.writeBits(0b11111, 5);
            bits.writeBits(dod, 64);
        }
    }

    static long readValue(BitReader bits) {
        if (!bits.readBit()) {
            return 0;
        }
        if (!bits.readBit()) {
            return signExtend(bits.readBits(6), 6);
        }
        if (!bits.readBit()) {
            return signExtend(bits.readBits(12), 12);
        }
        if (!bits.readBit()) {
            return signExtend(bits.readBits(20), 20);
        }
        if (!bits.readBit()) {
            return signExtend(bits.readBits(32), 32);
        }
        return bits.readBits(64);
    }

    static boolean fits(long value, int width) {
        long limit = 1L << (width - 1);
        return value >= -limit && value < limit;
    }

    static long signExtend(long value, int width) {
        int shift = 64 - width;
        return (value << shift) >> shift;
    }
}
