package io.kprom.scraper.parse;

import java.math.BigInteger;

/**
 * The Eisel-Lemire decimal-to-double conversion (Lemire, "Number Parsing at a Gigabyte per Second",
 * 2021; Mushtak and Lemire, "Fast number parsing without fallback", 2023): for a decimal significand
 * {@code w} of at most 19 digits and a power of ten {@code q}, one or two 64x128-bit multiplications
 * against a table of truncated powers of five give the correctly rounded double. Stateless; the table
 * (651 entries of 128 bits) is built once when the class loads.
 */
final class EiselLemire {
    static final int SMALLEST_POWER_OF_TEN = -342;
    static final int LARGEST_POWER_OF_TEN = 308;

    private static final int MANTISSA_BITS = 52;
    private static final int MINIMUM_EXPONENT = -1023;
    private static final int INFINITE_POWER = 0x7ff;
    /** Powers of ten in which a product can fall exactly between two doubles (round half to even applies). */
    private static final int MIN_EXPONENT_ROUND_TO_EVEN = -4;
    private static final int MAX_EXPONENT_ROUND_TO_EVEN = 23;
    /** Low bits below the 55 that decide the result: when all are ones the first product may be short. */
    private static final long PRECISION_MASK = 0x1ffL;

    /** For q in [-342, 308]: high and low 64 bits of 5^q normalized to 128 bits (index 2 * (q + 342)). */
    private static final long[] POWERS_OF_FIVE = powersOfFive();

    private EiselLemire() {
    }

    /**
     * The raw bits of the positive double nearest to {@code w * 10^q}, rounding ties to even.
     *
     * @param w the significand as an unsigned 64-bit integer (at most 19 decimal digits, or that plus one)
     */
    static long toDoubleBits(long w, int q) {
        if (w == 0 || q < SMALLEST_POWER_OF_TEN) {
            return 0L;
        }
        if (q > LARGEST_POWER_OF_TEN) {
            return Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);
        }
        int leadingZeros = Long.numberOfLeadingZeros(w);
        w <<= leadingZeros;
        int index = 2 * (q - SMALLEST_POWER_OF_TEN);
        long high = unsignedMultiplyHigh(w, POWERS_OF_FIVE[index]);
        long low = w * POWERS_OF_FIVE[index];
        if ((high & PRECISION_MASK) == PRECISION_MASK) {
            // The truncated power of five might have cut off a carry into the decisive bits: add the next 64 bits.
            long secondHigh = unsignedMultiplyHigh(w, POWERS_OF_FIVE[index + 1]);
            long sum = low + secondHigh;
            if (Long.compareUnsigned(sum, low) < 0) {
                high++;
            }
            low = sum;
        }
        int upperBit = (int) (high >>> 63);
        int shift = upperBit + 64 - MANTISSA_BITS - 3;
        long mantissa = high >>> shift;
        int power2 = binaryExponent(q) + upperBit - leadingZeros - MINIMUM_EXPONENT;
        if (power2 <= 0) {
            // Subnormal: shift to the fixed exponent, then round (ties cannot occur with at most 20 digits).
            if (-power2 + 1 >= 64) {
                return 0L;
            }
            mantissa >>>= -power2 + 1;
            mantissa += mantissa & 1;
            mantissa >>>= 1;
            power2 = mantissa < (1L << MANTISSA_BITS) ? 0 : 1;
            return ((long) power2 << MANTISSA_BITS) | (mantissa & ((1L << MANTISSA_BITS) - 1));
        }
        if (Long.compareUnsigned(low, 1) <= 0 && q >= MIN_EXPONENT_ROUND_TO_EVEN && q <= MAX_EXPONENT_ROUND_TO_EVEN
                && (mantissa & 3) == 1 && (mantissa << shift) == high) {
            // Exactly halfway between two doubles: round down to the even one instead of up.
            mantissa &= ~1L;
        }
        mantissa += mantissa & 1;
        mantissa >>>= 1;
        if (mantissa >= (2L << MANTISSA_BITS)) {
            mantissa = 1L << MANTISSA_BITS;
            power2++;
        }
        mantissa &= ~(1L << MANTISSA_BITS);
        if (power2 >= INFINITE_POWER) {
            return Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);
        }
        return ((long) power2 << MANTISSA_BITS) | mantissa;
    }

    /** floor(q * log2(10)) + 63, exact for |q| < 1700. */
    private static int binaryExponent(int q) {
        return (((152170 + 65536) * q) >> 16) + 63;
    }

    /** The high 64 bits of the unsigned 128-bit product (Math.unsignedMultiplyHigh arrived in Java 18). */
    static long unsignedMultiplyHigh(long x, long y) {
        return Math.multiplyHigh(x, y) + ((x >> 63) & y) + ((y >> 63) & x);
    }

    /**
     * 5^q for q >= 0 truncated to its top 128 bits; for q < 0 the reciprocal 2^b / 5^-q scaled to 128 bits,
     * rounded up where it fits in 128 bits exactly (q >= -27) and truncated from a wider quotient below that.
     */
    private static long[] powersOfFive() {
        long[] table = new long[2 * (LARGEST_POWER_OF_TEN - SMALLEST_POWER_OF_TEN + 1)];
        BigInteger five = BigInteger.valueOf(5);
        BigInteger two128 = BigInteger.ONE.shiftLeft(128);
        for (int q = SMALLEST_POWER_OF_TEN; q <= LARGEST_POWER_OF_TEN; q++) {
            BigInteger value;
            if (q >= 0) {
                BigInteger power = five.pow(q);
                int bits = power.bitLength();
                value = bits <= 128 ? power.shiftLeft(128 - bits) : power.shiftRight(bits - 128);
            } else {
                BigInteger power = five.pow(-q);
                int z = power.bitLength();
                if (q >= -27) {
                    value = BigInteger.ONE.shiftLeft(z + 127).divide(power).add(BigInteger.ONE);
                } else {
                    value = BigInteger.ONE.shiftLeft(2 * z + 128).divide(power).add(BigInteger.ONE);
                    while (value.compareTo(two128) >= 0) {
                        value = value.shiftRight(1);
                    }
                }
            }
            int index = 2 * (q - SMALLEST_POWER_OF_TEN);
            table[index] = value.shiftRight(64).longValue();
            table[index + 1] = value.longValue();
        }
        return table;
    }
}
