package io.kprom.promql.rules;

/** Go's {@code time.Duration.String()} ({@code 1h0m0s}, {@code 1m30s}, {@code 1.5s}, {@code 500ms}, {@code 0s}). */
final class GoDurations {
    private GoDurations() {
    }

    static String format(long millis) {
        if (millis == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        if (millis < 0) {
            sb.append('-');
            millis = -millis;
        }
        if (millis < 1000) {
            return sb.append(millis).append("ms").toString();
        }
        long hours = millis / 3_600_000;
        long minutes = millis / 60_000 % 60;
        long seconds = millis / 1000 % 60;
        long fraction = millis % 1000;
        if (hours > 0) {
            sb.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            sb.append(minutes).append('m');
        }
        sb.append(seconds);
        if (fraction > 0) {
            sb.append('.').append(String.format("%03d", fraction).replaceAll("0+$", ""));
        }
        return sb.append('s').toString();
    }
}
