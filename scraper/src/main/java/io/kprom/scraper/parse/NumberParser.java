package io.kprom.scraper.parse;

/**
 * Parses floats and integers straight from bytes with Go's {@code strconv} syntax (what Prometheus
 * accepts): decimal floats with optional exponent, and {@code NaN}/{@code Inf}/{@code Infinity} in any
 * case with an optional sign. Every result is the correctly rounded double (bit-identical to
 * {@link Double#parseDouble}) and nothing is allocated: up to 15-16 digits with a small exponent take
 * one exact IEEE multiplication or division; anything else up to 19 significant digits goes through
 * {@link EiselLemire}; longer ones try Eisel-Lemire on the first 19 digits and on that plus one, and only when
 * the two disagree (the dropped digits decide the rounding) is every digit converted by
 * {@link LongDecimal}, whose buffer is reused per thread. Stateless and thread-safe.
 */
final class NumberParser {
    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    /** At most this many significant digits fit an unsigned 64-bit significand. */
    private static final int MAX_SIGNIFICANT_DIGITS = 19;
    private static final long MAX_EXACT_INTEGER = 1L << 53;

    /** Marker returned (as a raw NaN bit pattern never produced by valid input) for invalid syntax. */
    static final long INVALID_BITS = 0x7ff8dead0000beefL;

    private NumberParser() {
    }

    /** The double in {@code b[start, end)}, or the raw bits {@link #INVALID_BITS} when invalid. */
    static long parseDoubleBits(byte[] b, int start, int end) {
        if (start >= end) {
            return INVALID_BITS;
        }
        int i = start;
        boolean negative = false;
        if (b[i] == '+' || b[i] == '-') {
            negative = b[i] == '-';
            i++;
        }
        if (i < end && isLetter(b[i])) {
            return special(b, i, end, negative);
        }
        int unsignedStart = i;
        long significand = 0;
        int significant = 0;
        long exponent = 0;
        int digits = 0;
        boolean truncated = false;
        while (i < end && isDigit(b[i])) {
            digits++;
            if (significant < MAX_SIGNIFICANT_DIGITS) {
                if (significand != 0 || b[i] != '0') {
                    significand = significand * 10 + (b[i] - '0');
                    significant++;
                }
            } else {
                exponent++;
                if (b[i] != '0') {
                    truncated = true;
                }
            }
            i++;
        }
        if (i < end && b[i] == '.') {
            i++;
            while (i < end && isDigit(b[i])) {
                digits++;
                if (significant < MAX_SIGNIFICANT_DIGITS) {
                    if (significand != 0 || b[i] != '0') {
                        significand = significand * 10 + (b[i] - '0');
                        significant++;
                    }
                    exponent--;
                } else if (b[i] != '0') {
                    truncated = true;
                }
                i++;
            }
        }
        if (digits == 0) {
            return INVALID_BITS;
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                negativeExponent = b[i] == '-';
                i++;
            }
            int exponentDigits = 0;
            long explicitExponent = 0;
            while (i < end && isDigit(b[i])) {
                if (explicitExponent < 1_000_000_000L) {
                    explicitExponent = explicitExponent * 10 + (b[i] - '0');
                }
                exponentDigits++;
                i++;
            }
            if (exponentDigits == 0) {
                return INVALID_BITS;
            }
            exponent += negativeExponent ? -explicitExponent : explicitExponent;
        }
        if (i != end) {
            return INVALID_BITS;
        }
        long bits = significand == 0 ? 0L : positiveBits(significand, clamp(exponent), truncated, b, unsignedStart, end);
        return negative ? bits | Long.MIN_VALUE : bits;
    }

    private static long positiveBits(long significand, int exponent, boolean truncated, byte[] b, int start, int end) {
        if (!truncated && Long.compareUnsigned(significand, MAX_EXACT_INTEGER) <= 0 && exponent >= -22 && exponent <= 22) {
            // Clinger's fast path: both operands are exact doubles, so one IEEE operation rounds correctly.
            double value = exponent >= 0 ? significand * POWERS_OF_TEN[exponent] : significand / POWERS_OF_TEN[-exponent];
            return Double.doubleToRawLongBits(value);
        }
        long bits = EiselLemire.toDoubleBits(significand, exponent);
        if (!truncated) {
            return bits;
        }
        // The true value lies strictly between significand and significand + 1 (times 10^exponent):
        // when both round to the same double, so does every value between them.
        if (EiselLemire.toDoubleBits(significand + 1, exponent) == bits) {
            return bits;
        }
        return LongDecimal.get().parse(b, start, end);
    }

    /** Exponents this far out give 0 or infinity anyway; clamping keeps them in int range. */
    private static int clamp(long exponent) {
        return (int) Math.max(-1_000_000, Math.min(1_000_000, exponent));
    }

    private static long special(byte[] b, int i, int end, boolean negative) {
        int length = end - i;
        if (length == 3 && lower(b[i]) == 'n' && lower(b[i + 1]) == 'a' && lower(b[i + 2]) == 'n') {
            return Double.doubleToRawLongBits(Double.NaN);
        }
        boolean inf = length == 3 && lower(b[i]) == 'i' && lower(b[i + 1]) == 'n' && lower(b[i + 2]) == 'f';
        if (!inf && length == 8) {
            inf = lower(b[i]) == 'i' && lower(b[i + 1]) == 'n' && lower(b[i + 2]) == 'f' && lower(b[i + 3]) == 'i'
                    && lower(b[i + 4]) == 'n' && lower(b[i + 5]) == 'i' && lower(b[i + 6]) == 't' && lower(b[i + 7]) == 'y';
        }
        if (!inf) {
            return INVALID_BITS;
        }
        return Double.doubleToRawLongBits(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
    }

    /** Parses a decimal int64 with optional sign; returns false when invalid or out of range. */
    static boolean parseLong(byte[] b, int start, int end, long[] out) {
        int i = start;
        boolean negative = false;
        if (i < end && (b[i] == '+' || b[i] == '-')) {
            negative = b[i] == '-';
            i++;
        }
        if (i >= end) {
            return false;
        }
        long value = 0;
        for (; i < end; i++) {
            if (!isDigit(b[i])) {
                return false;
            }
            int digit = b[i] - '0';
            if (value > (Long.MAX_VALUE - digit) / 10) {
                return false;
            }
            value = value * 10 + digit;
        }
        out[0] = negative ? -value : value;
        return true;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(byte c) {
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    }

    private static int lower(byte c) {
        return c | 0x20;
    }
}
