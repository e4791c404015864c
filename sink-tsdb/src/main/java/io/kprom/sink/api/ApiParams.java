package io.kprom.sink.api;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Parsing of API parameters with Prometheus's rules and error texts:
 * times as Unix seconds (fraction rounded to ms) or RFC 3339; durations as float seconds or
 * Prometheus durations ({@code 1h30m}, {@code 15s}, {@code 100ms}); limits as non-negative
 * integers. Stateless.
 */
public final class ApiParams {
    /** Prometheus's minimum/maximum representable time in milliseconds (its MinTime/MaxTime). */
    public static final long MIN_TIME_MILLIS = -9223309901257974L;
    public static final long MAX_TIME_MILLIS = 9223309901257974L;
    private static final String MIN_TIME_FORMATTED = "-292273086-05-16T16:47:06Z";
    private static final String MAX_TIME_FORMATTED = "292277025-08-18T07:12:54.999999999Z";

    private ApiParams() {
    }

    public static long parseTimeMillis(String text) {
        Double seconds = parseGoFloat(text);
        if (seconds != null) {
            if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
                throw new IllegalArgumentException("cannot parse \"" + text + "\" to a valid timestamp");
            }
            double whole = seconds < 0 ? Math.ceil(seconds) : Math.floor(seconds);
            double fraction = Math.round((seconds - whole) * 1000) / 1000.0;
            return (long) whole * 1000 + Math.round(fraction * 1000);
        }
        if (text.equals(MIN_TIME_FORMATTED)) {
            return MIN_TIME_MILLIS;
        }
        if (text.equals(MAX_TIME_FORMATTED)) {
            return MAX_TIME_MILLIS;
        }
        try {
            OffsetDateTime time = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            if (text.indexOf('T') != 10) {
                throw new IllegalArgumentException("cannot parse \"" + text + "\" to a valid timestamp");
            }
            return time.toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("cannot parse \"" + text + "\" to a valid timestamp");
        }
    }

    /** Duration in nanoseconds (Go's time.Duration), from float seconds or a Prometheus duration. */
    public static long parseDurationNanos(String text) {
        Double seconds = parseGoFloat(text);
        if (seconds != null) {
            double nanos = seconds * 1e9;
            if (Double.isNaN(nanos) || nanos >= 9.223372036854775807E18 || nanos < -9.223372036854775808E18) {
                throw new IllegalArgumentException("cannot parse \"" + text + "\" to a valid duration. It overflows int64");
            }
            return (long) nanos;
        }
        long millis = parsePromDurationMillis(text);
        if (millis < 0 || millis > Long.MAX_VALUE / 1_000_000L) {
            throw new IllegalArgumentException("cannot parse \"" + text + "\" to a valid duration");
        }
        return millis * 1_000_000L;
    }

    /** Prometheus duration ({@code 1y2w3d4h5m6s7ms}, units in descending order), or -1 when invalid. */
    static long parsePromDurationMillis(String text) {
        if (text.isEmpty() || text.equals("0")) {
            return text.isEmpty() ? -1 : 0;
        }
        String[] units = {"y", "w", "d", "h", "m", "s", "ms"};
        long[] unitMillis = {365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1};
        int position = 0;
        int lastUnit = -1;
        long total = 0;
        while (position < text.length()) {
            int start = position;
            while (position < text.length() && Character.isDigit(text.charAt(position))) {
                position++;
            }
            if (start == position) {
                return -1;
            }
            long number;
            try {
                number = Long.parseLong(text.substring(start, position));
            } catch (NumberFormatException e) {
                return -1;
            }
            int unitStart = position;
            while (position < text.length() && Character.isLetter(text.charAt(position))) {
                position++;
            }
            String unit = text.substring(unitStart, position);
            int index = -1;
            for (int i = 0; i < units.length; i++) {
                if (units[i].equals(unit)) {
                    index = i;
                }
            }
            if (index <= lastUnit) {
                return -1;
            }
            lastUnit = index;
            try {
                total = Math.addExact(total, Math.multiplyExact(number, unitMillis[index]));
            } catch (ArithmeticException e) {
                return -1;
            }
        }
        return total;
    }

    public static int parseLimit(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        int limit;
        try {
            limit = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("strconv.Atoi: parsing \"" + text + "\": invalid syntax");
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be non-negative");
        }
        return limit;
    }

    /** Go's strconv.ParseFloat acceptance (decimal, exponent, hex floats, inf/nan words), or null. */
    static Double parseGoFloat(String text) {
        if (text.isEmpty()) {
            return null;
        }
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
        if (unsigned.equals("inf") || unsigned.equals("infinity")) {
            return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (unsigned.equals("nan")) {
            return Double.NaN;
        }
        // Java would accept "1d", "1f" and whitespace, Go does not.
        for (int i = 0; i < text.length(); i++) {
            char c = lower.charAt(i);
            if (!(Character.isDigit(c) || c == '.' || c == 'e' || c == '+' || c == '-')) {
                if (!(unsigned.startsWith("0x") && (c == 'x' || c == 'p' || (c >= 'a' && c <= 'f')))) {
                    return null;
                }
            }
        }
        try {
            if (unsigned.startsWith("0x")) {
                return Double.parseDouble(lower.contains("p") ? lower : lower + "p0");
            }
            return new BigDecimal(text).doubleValue();
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
