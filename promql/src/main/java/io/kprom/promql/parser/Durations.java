package io.kprom.promql.parser;

/**
 * Prometheus duration strings ({@code 1y2w3d4h5m6s7ms}, units from largest to smallest, each at most once),
 * parsed and printed like Prometheus's {@code model.Duration}.
 */
final class Durations {
    private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
    private static final long[] UNIT_MILLIS = {
        365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, 24L * 3600 * 1000, 3600L * 1000, 60L * 1000, 1000L, 1L};

    private Durations() {
    }

    /** Milliseconds of a duration string; throws IllegalArgumentException with Prometheus's message. */
    static long parseMillis(String s) {
        if (s.equals("0")) {
            return 0;
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration string");
        }
        String original = s;
        long total = 0;
        int lastUnit = -1;
        int i = 0;
        while (i < s.length()) {
            if (!Lexer.isDigit(s.charAt(i))) {
                throw invalid(original);
            }
            int digitsStart = i;
            while (i < s.length() && Lexer.isDigit(s.charAt(i))) {
                i++;
            }
            long value;
            try {
                value = Long.parseUnsignedLong(s.substring(digitsStart, i));
            } catch (NumberFormatException e) {
                throw invalid(original);
            }
            int unitStart = i;
            while (i < s.length() && !Lexer.isDigit(s.charAt(i))) {
                i++;
            }
            if (i == unitStart) {
                throw invalid(original);
            }
            String unit = s.substring(unitStart, i);
            int unitIndex = unitIndex(unit);
            if (unitIndex < 0) {
                throw new IllegalArgumentException("unknown unit " + GoStrings.quote(unit) + " in duration "
                        + GoStrings.quote(original));
            }
            if (unitIndex <= lastUnit) {
                throw invalid(original);
            }
            lastUnit = unitIndex;
            // Prometheus keeps durations in int64 nanoseconds.
            long maxValue = Long.MAX_VALUE / (UNIT_MILLIS[unitIndex] * 1_000_000L);
            if (value < 0 || value > maxValue) {
                throw new IllegalArgumentException("duration out of range");
            }
            total += value * UNIT_MILLIS[unitIndex];
            if (total < 0 || total > Long.MAX_VALUE / 1_000_000L) {
                throw new IllegalArgumentException("duration out of range");
            }
        }
        return total;
    }

    private static int unitIndex(String unit) {
        for (int i = 0; i < UNITS.length; i++) {
            if (UNITS[i].equals(unit)) {
                return i;
            }
        }
        return -1;
    }

    private static IllegalArgumentException invalid(String s) {
        return new IllegalArgumentException("not a valid duration string: " + GoStrings.quote(s));
    }

    /** Formats non-negative milliseconds like Prometheus: {@code 1h30m}, {@code 90d}, {@code 0s}. */
    static String format(long millis) {
        if (millis == 0) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        long ms = millis;
        for (int i = 0; i < UNITS.length; i++) {
            long mult = UNIT_MILLIS[i];
            boolean exact = i < 2; // years and weeks only when they divide evenly: 90d reads better than 12w6d
            if (exact && ms % mult != 0) {
                continue;
            }
            long v = ms / mult;
            if (v > 0) {
                b.append(v).append(UNITS[i]);
                ms -= v * mult;
            }
        }
        return b.toString();
    }
}
