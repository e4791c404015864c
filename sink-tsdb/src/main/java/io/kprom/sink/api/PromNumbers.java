package io.kprom.sink.api;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Number and timestamp text exactly as Prometheus's HTTP API writes them.
 *
 * <p>Sample values use Go's {@code strconv.FormatFloat(v, 'f', -1, 64)} (shortest digits that
 * read back to the same double), switching to the {@code 'e'} format below 1e-6 and from 1e21 on;
 * specials are {@code +Inf}, {@code -Inf} and {@code NaN}: {@code 1}, {@code 0.1}, {@code 1e+21},
 * {@code 1e-07}. Timestamps are milliseconds written as seconds with up to three fraction digits
 * ({@code 1435781451.781}, {@code 1435781451.780}, {@code 4}). Stateless and thread-safe.
 */
public final class PromNumbers {
    private PromNumbers() {
    }

    /** A sample value as Prometheus's JSON writes it (without quotes). */
    public static String formatValue(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == 0) {
            return (Double.doubleToRawLongBits(value) < 0) ? "-0" : "0";
        }
        double abs = Math.abs(value);
        if (abs == Math.rint(abs) && abs < 1e15) {
            return Long.toString((long) value); // fast path for integers
        }
        Decimal decimal = shortest(value);
        return abs < 1e-6 || abs >= 1e21 ? decimal.exponentFormat() : decimal.plainFormat();
    }

    /** Milliseconds as Prometheus's float-seconds timestamp text. */
    public static String formatTimestamp(long millis) {
        StringBuilder out = new StringBuilder(20);
        appendTimestamp(out, millis);
        return out.toString();
    }

    public static void appendTimestamp(StringBuilder out, long millis) {
        long t = millis;
        if (t < 0) {
            out.append('-');
            t = -t;
        }
        out.append(t / 1000);
        long fraction = t % 1000;
        if (fraction != 0) {
            out.append('.');
            if (fraction < 100) {
                out.append('0');
            }
            if (fraction < 10) {
                out.append('0');
            }
            out.append(fraction);
        }
    }

    /**
     * Shortest decimal digits that round-trip, as Go's shortest formatting finds them. Java 17's
     * {@link Double#toString} is usually shortest but sometimes emits an extra digit or two, so
     * long outputs are re-checked by rounding to fewer digits and parsing back: if no k-digit
     * decimal reads back to the value, no shorter one can either.
     */
    static Decimal shortest(double value) {
        boolean negative = value < 0;
        double abs = Math.abs(value);
        Decimal fromToString = parseJavaDouble(negative, Double.toString(abs));
        if (fromToString.digits.length() < 16) {
            return fromToString;
        }
        Decimal best = fromToString;
        for (int digits = fromToString.digits.length() - 1; digits >= 1; digits--) {
            // When the dropped digits are exactly "5" the string hides which way the exact value
            // rounds (Java printed a tie that is not one); decide from the exact binary value.
            Decimal candidate = fromToString.tieAt(digits) ? exactRound(negative, abs, digits)
                    : fromToString.roundTo(digits);
            if (Double.parseDouble(candidate.scientific()) != abs) {
                break;
            }
            best = candidate;
        }
        return best;
    }

    private static Decimal exactRound(boolean negative, double abs, int count) {
        BigDecimal rounded = new BigDecimal(abs).round(new MathContext(count, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        String digits = rounded.unscaledValue().toString();
        return new Decimal(negative, digits, digits.length() - 1 - rounded.scale());
    }

    private static Decimal parseJavaDouble(boolean negative, String text) {
        int e = text.indexOf('E');
        String mantissa = e < 0 ? text : text.substring(0, e);
        int exponent = e < 0 ? 0 : Integer.parseInt(text.substring(e + 1));
        int dot = mantissa.indexOf('.');
        String intPart = mantissa.substring(0, dot);
        String fracPart = mantissa.substring(dot + 1);
        String all = intPart + fracPart;
        // decimal exponent of the first digit of 'all'
        int firstExponent = intPart.length() - 1 + exponent;
        int lead = 0;
        while (lead < all.length() - 1 && all.charAt(lead) == '0') {
            lead++;
            firstExponent--;
        }
        String digits = all.substring(lead);
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        return new Decimal(negative, digits.substring(0, end), firstExponent);
    }

    /** value = 0.d1d2d3... x 10^(exponent+1), i.e. d1 is in the 10^exponent place. */
    record Decimal(boolean negative, String digits, int exponent) {
        String plainFormat() {
            StringBuilder out = new StringBuilder(digits.length() + 8);
            if (negative) {
                out.append('-');
            }
            if (exponent < 0) {
                out.append("0.");
                out.append("0".repeat(-exponent - 1));
                out.append(digits);
            } else if (exponent + 1 >= digits.length()) {
                out.append(digits);
                out.append("0".repeat(exponent + 1 - digits.length()));
            } else {
                out.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
            }
            return out.toString();
        }

        /** Whether the digits dropped when keeping {@code count} are exactly "5". */
        boolean tieAt(int count) {
            return count == digits.length() - 1 && digits.charAt(count) == '5';
        }

        /** The closest decimal with at most {@code count} significant digits (half-up), trailing zeros dropped. */
        Decimal roundTo(int count) {
            if (count >= digits.length()) {
                return this;
            }
            char[] kept = digits.substring(0, count).toCharArray();
            int newExponent = exponent;
            if (digits.charAt(count) >= '5') {
                int i = count - 1;
                while (i >= 0 && kept[i] == '9') {
                    kept[i] = '0';
                    i--;
                }
                if (i < 0) {
                    return new Decimal(negative, "1", exponent + 1);
                }
                kept[i]++;
            }
            int end = kept.length;
            while (end > 1 && kept[end - 1] == '0') {
                end--;
            }
            return new Decimal(negative, new String(kept, 0, end), newExponent);
        }

        /** Positive magnitude in Java's scientific syntax, for parsing back. */
        String scientific() {
            return digits.charAt(0) + "." + (digits.length() > 1 ? digits.substring(1) : "0") + "E" + exponent;
        }

        String exponentFormat() {
            StringBuilder out = new StringBuilder(digits.length() + 8);
            if (negative) {
                out.append('-');
            }
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            out.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            if (abs < 10) {
                out.append('0');
            }
            out.append(abs);
            return out.toString();
        }
    }
}
