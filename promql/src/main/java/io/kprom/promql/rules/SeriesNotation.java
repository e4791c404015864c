package io.kprom.promql.rules;

import io.kprom.common.labels.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The notations of Prometheus test files: a series description {@code name{a="b", c="d"}} and
 * the expanding value notation {@code 1 2 _ stale 0+10x5 _x3 5x2 -1-1x2}. Stateless.
 */
public final class SeriesNotation {
    /** One expanded value: a float, or an omitted position ({@code _}). */
    public record Point(boolean omitted, double value) {
        static final Point OMITTED = new Point(true, 0);
    }

    // No hex here: in "0x5", x is the repetition operator.
    private static final String NUMBER = "[+-]?(?:(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?"
            + "|[iI][nN][fF]|[nN][aA][nN])";
    private static final Pattern ITEM = Pattern.compile("^(" + NUMBER + ")(?:(" + NUMBER + "))?(?:x(\\d+))?$");
    private static final Pattern BLANK = Pattern.compile("^_(?:x(\\d+))?$");

    private SeriesNotation() {
    }

    /** Expands a values string; throws {@link IllegalArgumentException} naming the bad item. */
    public static List<Point> expand(String values) {
        List<Point> points = new ArrayList<>();
        for (String item : values.trim().split("\\s+")) {
            if (item.isEmpty()) {
                continue;
            }
            Matcher blank = BLANK.matcher(item);
            if (blank.matches()) {
                int times = blank.group(1) == null ? 1 : Integer.parseInt(blank.group(1));
                for (int i = 0; i < times; i++) {
                    points.add(Point.OMITTED);
                }
                continue;
            }
            if (item.equals("stale")) {
                points.add(new Point(false, RuleResultAppender.STALE_NAN));
                continue;
            }
            Matcher matcher = ITEM.matcher(item);
            if (!matcher.matches() || matcher.group(2) != null && matcher.group(3) == null) {
                throw new IllegalArgumentException("invalid series value \"" + item + "\"");
            }
            double start = parseNumber(matcher.group(1));
            if (matcher.group(3) == null) {
                points.add(new Point(false, start));
                continue;
            }
            int times = Integer.parseInt(matcher.group(3));
            double delta = matcher.group(2) == null ? 0 : parseNumber(matcher.group(2));
            double value = start;
            points.add(new Point(false, value));
            for (int i = 1; i <= times; i++) {
                value += delta;
                points.add(new Point(false, value));
            }
        }
        return points;
    }

    static double parseNumber(String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        boolean negative = lower.startsWith("-");
        String unsigned = lower.startsWith("-") || lower.startsWith("+") ? lower.substring(1) : lower;
        double value;
        if (unsigned.equals("inf")) {
            value = Double.POSITIVE_INFINITY;
        } else if (unsigned.equals("nan")) {
            value = Double.NaN;
        } else if (unsigned.startsWith("0x")) {
            value = Long.parseLong(unsigned.substring(2), 16);
        } else {
            value = Double.parseDouble(unsigned);
        }
        return negative ? -value : value;
    }

    /**
     * Parses {@code name{label="value", ...}}, {@code name} or {@code {label="value"}} into labels.
     * Errors read like Prometheus's ({@code 1:11: parse error: ...}).
     */
    public static Labels parseMetric(String text) {
        int[] end = new int[1];
        Labels labels = parseMetricPrefix(text, end);
        int i = skipSpace(text, end[0]);
        if (i < text.length()) {
            throw parseError(text, i, "unexpected character: '" + text.charAt(i) + "'");
        }
        return labels;
    }

    /**
     * Parses the series description at the start of a {@code load}-style line ({@code series values}),
     * storing in {@code end[0]} where it ended.
     */
    public static Labels parseMetricPrefix(String text, int[] endOut) {
        Labels.Builder builder = Labels.builder();
        int i = skipSpace(text, 0);
        int start = i;
        while (i < text.length() && isNameChar(text.charAt(i), i == start, true)) {
            i++;
        }
        if (i > start) {
            builder.set(Labels.METRIC_NAME, text.substring(start, i));
        }
        int afterName = i;
        i = skipSpace(text, i);
        if (i >= text.length() || text.charAt(i) != '{') {
            if (afterName == start) {
                throw parseError(text, i, i >= text.length() ? "unexpected end of input"
                        : "unexpected character: '" + text.charAt(i) + "'");
            }
            endOut[0] = afterName;
            return builder.build();
        }
        i++;
        while (true) {
            i = skipSpace(text, i);
            if (i >= text.length()) {
                throw parseError(text, i, "unexpected end of input inside braces");
            }
            if (text.charAt(i) == '}') {
                i++;
                break;
            }
            String name;
            if (text.charAt(i) == '"') {
                int[] end = new int[1];
                name = readQuoted(text, i, end);
                i = end[0];
            } else {
                int nameStart = i;
                while (i < text.length() && isNameChar(text.charAt(i), i == nameStart, false)) {
                    i++;
                }
                if (i == nameStart) {
                    throw parseError(text, i, "unexpected character inside braces: '" + text.charAt(i) + "'");
                }
                name = text.substring(nameStart, i);
            }
            i = skipSpace(text, i);
            if (i >= text.length()) {
                throw parseError(text, i, "unexpected end of input inside braces");
            }
            if (text.charAt(i) == ',' || text.charAt(i) == '}') {
                // A bare quoted name is the metric name (Prometheus 3 UTF-8 syntax).
                builder.set(Labels.METRIC_NAME, name);
            } else {
                if (text.charAt(i) != '=') {
                    throw parseError(text, i, "unexpected character inside braces: '" + text.charAt(i) + "'");
                }
                i = skipSpace(text, i + 1);
                if (i >= text.length() || text.charAt(i) != '"' && text.charAt(i) != '\'') {
                    throw parseError(text, i, i >= text.length() ? "unexpected end of input inside braces"
                            : "unexpected character inside braces: '" + text.charAt(i) + "'");
                }
                int[] end = new int[1];
                builder.set(name, readQuoted(text, i, end));
                i = skipSpace(text, end[0]);
            }
            if (i < text.length() && text.charAt(i) == ',') {
                i++;
            } else if (i >= text.length()) {
                throw parseError(text, i, "unexpected end of input inside braces");
            } else if (text.charAt(i) != '}') {
                throw parseError(text, i, "unexpected character inside braces: '" + text.charAt(i) + "'");
            }
        }
        endOut[0] = i;
        return builder.build();
    }

    private static String readQuoted(String text, int start, int[] end) {
        char quote = text.charAt(start);
        StringBuilder sb = new StringBuilder();
        int i = start + 1;
        while (i < text.length() && text.charAt(i) != quote) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char e = text.charAt(++i);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case '\\' -> sb.append('\\');
                    case '"' -> sb.append('"');
                    case '\'' -> sb.append('\'');
                    default -> sb.append('\\').append(e);
                }
            } else {
                sb.append(c);
            }
            i++;
        }
        if (i >= text.length()) {
            throw parseError(text, start, "unterminated quoted string");
        }
        end[0] = i + 1;
        return sb.toString();
    }

    private static boolean isNameChar(char c, boolean first, boolean metric) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || metric && c == ':'
                || !first && c >= '0' && c <= '9';
    }

    private static int skipSpace(String text, int i) {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static IllegalArgumentException parseError(String text, int offset, String message) {
        return new IllegalArgumentException("1:" + (offset + 1) + ": parse error: " + message);
    }
}
