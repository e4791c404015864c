package io.kprom.common.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes as Prometheus accepts them ({@code 10MB}, {@code 512KiB}, {@code 0}); all units are base 2. */
public final class PromSize {
    private static final Pattern SYNTAX = Pattern.compile("^([0-9]+)\\s*([KMGTPE]i?B|B)?$", Pattern.CASE_INSENSITIVE);

    private PromSize() {
    }

    public static long parse(String text) {
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a valid size: \"" + text + "\" (use e.g. 10MB)");
        }
        long value = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        int shift = switch (unit.charAt(0)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            case 'P' -> 50;
            case 'E' -> 60;
            default -> 0;
        };
        if (shift > 0 && Long.numberOfLeadingZeros(value) <= shift) {
            throw new IllegalArgumentException("size out of range: \"" + text + "\"");
        }
        return value << shift;
    }
}
