package io.kprom.sink.storage.chunk;

import java.io.ByteArrayOutputStream;

/**
 * The decimal chunk encoding: each value {@code v} is stored as the integer {@code m = v * 10^scale}
 * with delta-of-delta coding, for chunks whose values all satisfy {@code m / 10^scale == v} bit for bit
 * (values exposed as short decimals: counters of bytes, packets, CPU seconds with 0.01 resolution).
 * XOR coding spends ~55 bits on such a value whose decimal digits change; this spends ~10-25.
 * Used for finished chunks only ({@link Chunks#finish}); layout in {@code docs/format.md}.
 */
final class DecimalChunkEncoder {
    static final int ENCODING_DECIMAL = 0x02;
    static final int MAX_SCALE = 6;
    static final long[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};
    private static final long MAX_MANTISSA = 1L << 53;

    private DecimalChunkEncoder() {
    }

    /** The decimal encoding of the chunk, or null when some value is not a short decimal. */
    static byte[] tryEncode(XorChunkEncoder.View chunk) {
        int count = chunk.count();
        if (count == 0) {
            return null;
        }
        long[] timestamps = new long[count];
        double[] values = new double[count];
        XorChunkDecoder decoder = chunk.decoder();
        for (int i = 0; decoder.next(); i++) {
            timestamps[i] = decoder.timestamp();
            values[i] = decoder.value();
        }
        int scale = smallestScale(values);
        if (scale < 0) {
            return null;
        }
        long power = POWERS[scale];
        BitWriter bits = new BitWriter(count * 3);
        long previousMantissa = 0;
        long previousDelta = 0;
        long previousTimestamp = timestamps[0];
        long previousTimeDelta = 0;
        for (int i = 0; i < count; i++) {
            long mantissa = Math.round(values[i] * power);
            if (i == 0) {
                bits.writeBits(mantissa, 64);
            } else {
                long timeDelta = timestamps[i] - previousTimestamp;
                DeltaOfDelta.writeTimestamp(bits, timeDelta - previousTimeDelta);
                previousTimeDelta = timeDelta;
                previousTimestamp = timestamps[i];
                long delta = mantissa - previousMantissa;
                DeltaOfDelta.writeValue(bits, delta - previousDelta);
                previousDelta = delta;
            }
            previousMantissa = mantissa;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) (bits.bitLength() >>> 3) + 12);
        out.write(ENCODING_DECIMAL);
        Varints.writeUnsigned(out, count);
        Varints.writeSigned(out, timestamps[0]);
        out.write(scale);
        out.write(bits.buffer(), 0, (int) ((bits.bitLength() + 7) >>> 3));
        return out.toByteArray();
    }

    /** Smallest scale at which every value round-trips bit-exactly, or -1. */
    static int smallestScale(double[] values) {
        for (int scale = 0; scale <= MAX_SCALE; scale++) {
            if (fitsScale(values, POWERS[scale])) {
                return scale;
            }
        }
        return -1;
    }

    private static boolean fitsScale(double[] values, long power) {
        for (double value : values) {
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                return false;
            }
            double scaled = value * power;
            if (Math.abs(scaled) >= MAX_MANTISSA) {
                return false;
            }
            long mantissa = Math.round(scaled);
            if (Double.doubleToRawLongBits(mantissa / (double) power) != Double.doubleToRawLongBits(value)) {
                return false;
            }
        }
        return true;
    }
}
