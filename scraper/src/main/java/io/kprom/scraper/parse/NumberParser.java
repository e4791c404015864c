package io.kprom.scraper.parse;

import java.nio.charset.StandardCharsets;

/**
 * Parses floats and integers straight from bytes with Go's {@code strconv} syntax (what Prometheus
 * accepts): decimal floats with optional exponent, and {@code NaN}/{@code Inf}/{@code Infinity} in any
 * case with an optional sign. Short decimals take an exact allocation-free path; long ones fall back to
 * {@link Double#parseDouble} after the syntax was checked here. Stateless.
 */
final class NumberParser {
    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

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
        long mantissa = 0;
        int significant = 0;
        int exponent = 0;
        int digits = 0;
        boolean exact = true;
        while (i < end && isDigit(b[i])) {
            digits++;
            if (significant < 18) {
                if (mantissa != 0 || b[i] != '0') {
                    mantissa = mantissa * 10 + (b[i] - '0');
                    significant++;
                }
            } else {
                exponent++;
                if (b[i] != '0') {
                    exact = false;
                }
            }
            i++;
        }
        if (i < end && b[i] == '.') {
            i++;
            while (i < end && isDigit(b[i])) {
                digits++;
                if (significant < 18) {
                    if (mantissa != 0 || b[i] != '0') {
                        mantissa = mantissa * 10 + (b[i] - '0');
                        significant++;
                    }
                    exponent--;
                } else if (b[i] != '0') {
                    exact = false;
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
            int explicitExponent = 0;
            while (i < end && isDigit(b[i])) {
                if (explicitExponent < 100_000) {
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
        double value;
        if (mantissa == 0) {
            value = 0.0;
        } else if (exact && significant <= 15 && exponent >= -22 && exponent <= 22) {
            // Both operands are exact doubles, so one IEEE multiplication or division rounds correctly.
            value = exponent >= 0 ? mantissa * POWERS_OF_TEN[exponent] : mantissa / POWERS_OF_TEN[-exponent];
        } else {
            value = Double.parseDouble(new String(b, start, end - start, StandardCharsets.ISO_8859_1));
            return Double.doubleToRawLongBits(value);
        }
        return Double.doubleToRawLongBits(negative ? -value : value);
    }

    private static long special(byte[] b, int i, int end, boolean negative) {
        int length = end - i;
        if (length == 3 && lower(b[i]) == 'n' && lower(b[i + 1]) == 'a' && lower(b[i + 2]) == 'n') {
            return Double.doubleToRawLongBits(Double.NaN);
        }
        boolean inf = length == 3 && lower(b[i]) == 'i' && lower(b[i + 1]) == 'n' && lower(b[i + 2]) == 'f';
        if (!inf && length == 8) {
            inf = true;
            byte[] word = {'i', 'n', 'f', 'i', 'n', 'i', 't', 'y'};
            for (int k = 0; k < 8; k++) {
                if (lower(b[i + k]) != word[k]) {
                    inf = false;
                    break;
                }
            }
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
