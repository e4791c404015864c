package io.kprom.scraper.parse;

import java.math.BigInteger;

/**
 * The exact fallback for decimals Eisel-Lemire cannot settle (more than 19 significant digits lying
 * next to a rounding boundary): the "simple decimal conversion" that keeps up to 800 digits in a
 * byte array, scales the number into [1/2, 1) by shifting it by powers of two in decimal, then reads the
 * 53 mantissa bits off with correct round-half-to-even (a nonzero digit beyond the 800 kept ones counts
 * as "above halfway", which is all rounding needs). One instance per thread ({@link #get()}), reused,
 * so the rare slow path allocates nothing either. Not thread-safe.
 */
final class LongDecimal {
    private static final int MAX_DIGITS = 800;
    /** Largest shift per step so that digit * 2^shift + carry fits in a signed long. */
    private static final int MAX_SHIFT = 59;
    /** Binary shift that moves the decimal point by at least 0, 1, 2, ... decimal places. */
    private static final int[] POWERS_TO_SHIFT = {1, 3, 6, 9, 13, 16, 19, 23, 26};
    private static final int MANTISSA_BITS = 52;
    private static final int EXPONENT_BIAS = -1023;
    /** Digits 2^k adds when multiplied in, and 5^k in decimal: it adds one fewer when the number is below 0.5^k. */
    private static final int[] LEFT_SHIFT_DIGITS = new int[MAX_SHIFT + 1];
    private static final byte[][] LEFT_SHIFT_CUTOFF = new byte[MAX_SHIFT + 1][];
    private static final ThreadLocal<LongDecimal> PER_THREAD = ThreadLocal.withInitial(LongDecimal::new);

    static {
        for (int k = 0; k <= MAX_SHIFT; k++) {
            LEFT_SHIFT_DIGITS[k] = BigInteger.ONE.shiftLeft(k).toString().length();
            LEFT_SHIFT_CUTOFF[k] = BigInteger.valueOf(5).pow(k).toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    /** Digit values 0-9 (not characters); the number is 0.d[0]d[1]...d[count-1] * 10^decimalPoint. */
    private final byte[] digits = new byte[MAX_DIGITS];
    private int count;
    private int decimalPoint;
    private boolean truncated;

    private LongDecimal() {
    }

    static LongDecimal get() {
        return PER_THREAD.get();
    }

    /**
     * The raw bits of the positive double nearest to the unsigned decimal in {@code b[start, end)}, whose
     * syntax the caller has checked: digits, an optional '.' and digits, an optional exponent.
     */
    long parse(byte[] b, int start, int end) {
        count = 0;
        decimalPoint = 0;
        truncated = false;
        boolean sawDot = false;
        boolean sawNonZero = false;
        int i = start;
        for (; i < end; i++) {
            byte c = b[i];
            if (c == '.') {
                sawDot = true;
                continue;
            }
            if (c < '0' || c > '9') {
                break;
            }
            if (c == '0' && !sawNonZero) {
                if (sawDot) {
                    decimalPoint--;
                }
                continue;
            }
            sawNonZero = true;
            if (!sawDot) {
                decimalPoint++;
            }
            if (count < MAX_DIGITS) {
                digits[count++] = (byte) (c - '0');
            } else if (c != '0') {
                truncated = true;
            }
        }
        if (i < end) {
            i++; // 'e' or 'E'
            boolean negative = false;
            if (b[i] == '+' || b[i] == '-') {
                negative = b[i] == '-';
                i++;
            }
            long exponent = 0;
            for (; i < end; i++) {
                if (exponent < 1_000_000_000L) {
                    exponent = exponent * 10 + (b[i] - '0');
                }
            }
            // Far beyond any double either way; clamping keeps the int arithmetic below from overflowing.
            long point = decimalPoint + (negative ? -exponent : exponent);
            decimalPoint = (int) Math.max(-1_000_000, Math.min(1_000_000, point));
        }
        trim();
        return toDoubleBits();
    }

    private long toDoubleBits() {
        if (count == 0 || decimalPoint < -330) {
            return 0L;
        }
        if (decimalPoint > 310) {
            return Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);
        }
        int exponent = 0;
        while (decimalPoint > 0) {
            int n = decimalPoint >= POWERS_TO_SHIFT.length ? 27 : POWERS_TO_SHIFT[decimalPoint];
            shift(-n);
            exponent += n;
        }
        while (decimalPoint < 0 || decimalPoint == 0 && digits[0] < 5) {
            int n = -decimalPoint >= POWERS_TO_SHIFT.length ? 27 : POWERS_TO_SHIFT[-decimalPoint];
            shift(n);
            exponent -= n;
        }
        // Now in [1/2, 1); doubles are written as [1, 2) * 2^e.
        exponent--;
        if (exponent < EXPONENT_BIAS + 1) {
            // Below the smallest normal exponent: denormalize.
            int n = EXPONENT_BIAS + 1 - exponent;
            shift(-n);
            exponent += n;
        }
        if (exponent - EXPONENT_BIAS >= 0x7ff) {
            return Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);
        }
        shift(1 + MANTISSA_BITS);
        long mantissa = roundedInteger();
        if (mantissa == (2L << MANTISSA_BITS)) {
            mantissa >>>= 1;
            exponent++;
            if (exponent - EXPONENT_BIAS >= 0x7ff) {
                return Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);
            }
        }
        if ((mantissa & (1L << MANTISSA_BITS)) == 0) {
            exponent = EXPONENT_BIAS;
        }
        return (mantissa & ((1L << MANTISSA_BITS) - 1)) | ((long) ((exponent - EXPONENT_BIAS) & 0x7ff) << MANTISSA_BITS);
    }

    /** Multiplies by 2^k (k > 0) or divides by 2^-k (k < 0). */
    private void shift(int k) {
        if (count == 0) {
            return;
        }
        while (k > MAX_SHIFT) {
            leftShift(MAX_SHIFT);
            k -= MAX_SHIFT;
        }
        if (k > 0) {
            leftShift(k);
        }
        while (k < -MAX_SHIFT) {
            rightShift(MAX_SHIFT);
            k += MAX_SHIFT;
        }
        if (k < 0) {
            rightShift(-k);
        }
    }

    private void leftShift(int k) {
        int added = LEFT_SHIFT_DIGITS[k];
        if (prefixBelow(LEFT_SHIFT_CUTOFF[k])) {
            added--;
        }
        int read = count;
        int write = count + added;
        long carry = 0;
        for (read--; read >= 0; read--) {
            carry += (long) digits[read] << k;
            long quotient = carry / 10;
            long remainder = carry - 10 * quotient;
            write--;
            store(write, remainder);
            carry = quotient;
        }
        while (carry > 0) {
            long quotient = carry / 10;
            long remainder = carry - 10 * quotient;
            write--;
            store(write, remainder);
            carry = quotient;
        }
        count = Math.min(count + added, MAX_DIGITS);
        decimalPoint += added;
        trim();
    }

    private void store(int index, long digit) {
        if (index < MAX_DIGITS) {
            digits[index] = (byte) digit;
        } else if (digit != 0) {
            truncated = true;
        }
    }

    private boolean prefixBelow(byte[] cutoff) {
        for (int i = 0; i < cutoff.length; i++) {
            if (i >= count) {
                return true;
            }
            int digit = cutoff[i] - '0';
            if (digits[i] != digit) {
                return digits[i] < digit;
            }
        }
        return false;
    }

    private void rightShift(int k) {
        int read = 0;
        int write = 0;
        long accumulator = 0;
        // Read enough leading digits that the first quotient digit is nonzero.
        while ((accumulator >>> k) == 0) {
            if (read >= count) {
                if (accumulator == 0) {
                    count = 0;
                    return;
                }
                while ((accumulator >>> k) == 0) {
                    accumulator *= 10;
                    read++;
                }
                break;
            }
            accumulator = accumulator * 10 + digits[read];
            read++;
        }
        decimalPoint -= read - 1;
        long mask = (1L << k) - 1;
        for (; read < count; read++) {
            long digit = accumulator >>> k;
            accumulator &= mask;
            digits[write++] = (byte) digit;
            accumulator = accumulator * 10 + digits[read];
        }
        while (accumulator > 0) {
            long digit = accumulator >>> k;
            accumulator &= mask;
            if (write < MAX_DIGITS) {
                digits[write++] = (byte) digit;
            } else if (digit > 0) {
                truncated = true;
            }
            accumulator *= 10;
        }
        count = write;
        trim();
    }

    private long roundedInteger() {
        if (decimalPoint > 20) {
            return -1L;
        }
        long n = 0;
        int i = 0;
        for (; i < decimalPoint && i < count; i++) {
            n = n * 10 + digits[i];
        }
        for (; i < decimalPoint; i++) {
            n *= 10;
        }
        if (roundsUp(decimalPoint)) {
            n++;
        }
        return n;
    }

    private boolean roundsUp(int at) {
        if (at < 0 || at >= count) {
            return false;
        }
        if (digits[at] == 5 && at + 1 == count) {
            // Exactly halfway unless digits were dropped (then it is above): round half to even.
            return truncated || at > 0 && digits[at - 1] % 2 == 1;
        }
        return digits[at] >= 5;
    }

    private void trim() {
        while (count > 0 && digits[count - 1] == 0) {
            count--;
        }
        if (count == 0) {
            decimalPoint = 0;
        }
    }
}
