package io.kprom.promql.promqltest;

import java.util.ArrayList;
import java.util.List;

/**
 * Expands the promqltest value notation: {@code 1 2 3}, {@code 0+10x5} (six values 0..50),
 * {@code 5-1x3}, {@code 7x2} (7 three times), {@code _} (no sample), {@code _x3} (three missing),
 * {@code stale} (a staleness marker), {@code NaN}, {@code Inf}, {@code -Inf}.
 * Missing values are {@code null}.
 */
final class SeriesValues {
    /** Prometheus's staleness marker. */
    static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

    private SeriesValues() {
    }

    static List<Double> expand(List<String> tokens) {
        List<Double> values = new ArrayList<>();
        for (String token : tokens) {
            expandToken(token, values);
        }
        return values;
    }

    private static void expandToken(String token, List<Double> out) {
        if (token.equals("_")) {
            out.add(null);
            return;
        }
        if (token.startsWith("_x")) {
            int times = Integer.parseInt(token.substring(2));
            for (int i = 0; i < times; i++) {
                out.add(null);
            }
            return;
        }
        if (token.equals("stale")) {
            out.add(STALE_NAN);
            return;
        }
        int x = token.lastIndexOf('x');
        if (x > 0 && !token.startsWith("0x") && x < token.length() - 1 && token.substring(x + 1).chars().allMatch(Character::isDigit)) {
            int times = Integer.parseInt(token.substring(x + 1));
            String head = token.substring(0, x);
            int split = findStepSign(head);
            double start;
            double step;
            if (split < 0) {
                start = parseNumber(head);
                step = 0;
            } else {
                start = parseNumber(head.substring(0, split));
                step = parseNumber(head.substring(split + 1));
                if (head.charAt(split) == '-') {
                    step = -step;
                }
            }
            for (int i = 0; i <= times; i++) {
                out.add(start + step * i);
            }
            return;
        }
        out.add(parseNumber(token));
    }

    /** Index of the '+' or '-' separating start and step (not a leading sign or an exponent sign). */
    private static int findStepSign(String head) {
        for (int i = 1; i < head.length(); i++) {
            char c = head.charAt(i);
            char previous = head.charAt(i - 1);
            if ((c == '+' || c == '-') && previous != 'e' && previous != 'E') {
                return i;
            }
        }
        return -1;
    }

    static double parseNumber(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "Inf", "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                if (text.startsWith("0x") || text.startsWith("0X")) {
                    yield Long.parseLong(text.substring(2), 16);
                }
                yield Double.parseDouble(text);
            }
        };
    }
}
