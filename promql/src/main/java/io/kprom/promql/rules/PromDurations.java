package io.kprom.promql.rules;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus durations as written in rule and test files ({@code 1h30m}, {@code 5m}, {@code 0},
 * units {@code y w d h m s ms}) and printed back the way Prometheus prints {@code model.Duration}.
 */
public final class PromDurations {
    private static final Pattern FORMAT = Pattern.compile(
            "^(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?$");
    private static final long[] UNIT_MILLIS = {
        365L * 24 * 3600_000, 7L * 24 * 3600_000, 24L * 3600_000, 3600_000, 60_000, 1000, 1};
    private static final String[] UNIT_NAMES = {"y", "w", "d", "h", "m", "s", "ms"};

    private PromDurations() {
    }

    /** Parses a duration; throws {@link IllegalArgumentException} with Prometheus's wording when malformed. */
    public static Duration parse(String text) {
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        Matcher matcher = FORMAT.matcher(text);
        if (text.isEmpty() || !matcher.matches()) {
            throw new IllegalArgumentException("not a valid duration string: \"" + text + "\"");
        }
        long millis = 0;
        for (int i = 0; i < UNIT_MILLIS.length; i++) {
            String group = matcher.group(i + 1);
            if (group != null) {
                millis = Math.addExact(millis, Math.multiplyExact(Long.parseLong(group), UNIT_MILLIS[i]));
            }
        }
        return Duration.ofMillis(millis);
    }

    /** Formats like Prometheus's {@code model.Duration.String()}: {@code 1h30m}, {@code 0s}. */
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
            // Prometheus prints weeks only when the duration is whole weeks; years likewise.
            if (i == 0 && millis % UNIT_MILLIS[0] != 0 || i == 1 && millis % UNIT_MILLIS[1] != 0) {
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
