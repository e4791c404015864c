package io.kprom.promql.rules.template;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Prometheus's humanize* template functions, formatted with Go's {@code %.4g}. Stateless. */
final class Humanize {
    private static final String[] BIG = {"k", "M", "G", "T", "P", "E", "Z", "Y"};
    private static final String[] BIG_1024 = {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"};
    private static final String[] SMALL = {"m", "u", "n", "p", "f", "a", "z", "y"};

    private Humanize() {
    }

    static String g4(double v) {
        return GoFormat.sprintf("%.4g", List.of(v));
    }

    static String humanize(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return g4(v);
        }
        String prefix = "";
        if (Math.abs(v) >= 1) {
            for (String p : BIG) {
                if (Math.abs(v) < 1000) {
                    break;
                }
                prefix = p;
                v /= 1000;
            }
            return g4(v) + prefix;
        }
        for (String p : SMALL) {
            if (Math.abs(v) >= 1) {
                break;
            }
            prefix = p;
            v *= 1000;
        }
        return g4(v) + prefix;
    }

    static String humanize1024(double v) {
        if (Math.abs(v) <= 1 || Double.isNaN(v) || Double.isInfinite(v)) {
            return g4(v);
        }
        String prefix = "";
        for (String p : BIG_1024) {
            if (Math.abs(v) < 1024) {
                break;
            }
            prefix = p;
            v /= 1024;
        }
        return g4(v) + prefix;
    }

    static String percentage(double v) {
        return g4(v * 100) + "%";
    }

    static String duration(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return g4(v);
        }
        if (v == 0) {
            return g4(v) + "s";
        }
        if (Math.abs(v) >= 1) {
            String sign = "";
            if (v < 0) {
                sign = "-";
                v = -v;
            }
            long total = (long) v;
            long seconds = total % 60;
            long minutes = (total / 60) % 60;
            long hours = (total / 3600) % 24;
            long days = total / 86400;
            if (days != 0) {
                return sign + days + "d " + hours + "h " + minutes + "m " + seconds + "s";
            }
            if (hours != 0) {
                return sign + hours + "h " + minutes + "m " + seconds + "s";
            }
            if (minutes != 0) {
                return sign + minutes + "m " + seconds + "s";
            }
            return sign + g4(v) + "s";
        }
        String prefix = "";
        for (String p : SMALL) {
            if (Math.abs(v) >= 1) {
                break;
            }
            prefix = p;
            v *= 1000;
        }
        return g4(v) + prefix + "s";
    }

    /** Go's {@code time.Time.String()} in UTC of a Unix timestamp in seconds. */
    static String timestamp(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return g4(seconds);
        }
        return goTime(seconds);
    }

    static String goTime(double seconds) {
        // As Prometheus: seconds to int64 nanoseconds, then to model.Time (milliseconds, truncated).
        long millis = (long) (seconds * 1e9) / 1_000_000L;
        long whole = Math.floorDiv(millis, 1000);
        long nanos = Math.floorMod(millis, 1000) * 1_000_000L;
        Instant instant = Instant.ofEpochSecond(whole, nanos);
        String base = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC).format(instant);
        String fraction = "";
        if (nanos != 0) {
            fraction = "." + String.format("%09d", nanos).replaceAll("0+$", "");
        }
        return base + fraction + " +0000 UTC";
    }
}
