package io.kprom.common.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus duration syntax: {@code 1y2w3d4h5m6s7ms} in that unit order, each unit at most
 * once, {@code y} = 365d, {@code w} = 7d; {@code 0} alone means zero.
 */
public final class PromDuration {
    private static final Pattern SYNTAX = Pattern.compile(
            "^(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?$");
    private static final long[] UNIT_MILLIS = {
        365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, 24L * 3600 * 1000, 3600L * 1000, 60L * 1000, 1000L, 1L};
    private static final String[] UNIT_NAMES = {"y", "w", "d", "h", "m", "s", "ms"};

    private PromDuration() {
    }

    /** Parses, or throws IllegalArgumentException with Prometheus's wording. */
    public static Duration parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty duration string");
        }
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a valid duration string: \"" + text + "\"");
        }
        long millis = 0;
        for (int i = 0; i < UNIT_MILLIS.length; i++) {
            String group = m.group(i + 1);
            if (group != null) {
                try {
                    millis = Math.addExact(millis, Math.multiplyExact(Long.parseLong(group), UNIT_MILLIS[i]));
                } catch (ArithmeticException | NumberFormatException e) {
                    throw new IllegalArgumentException("duration out of range: \"" + text + "\"");
                }
            }
        }
        return Duration.ofMillis(millis);
    }

    /** Formats as Prometheus prints durations ({@code 1m30s}, {@code 0s}). */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        if (millis < 0) {
            sb.append('-');
            millis = -millis;
        }
        for (int i = 0; i < UNIT_MILLIS.length; i++) {
            // Prometheus prints weeks and years only when they divide exactly.
            if ((i == 0 || i == 1) && millis % UNIT_MILLIS[i] != 0) {
                continue;
            }
            long count = millis / UNIT_MILLIS[i];
            if (count > 0) {
                sb.append(count).append(UNIT_NAMES[i]);
                millis -= count * UNIT_MILLIS[i];
            }
        }
        return sb.toString();
    }
}
