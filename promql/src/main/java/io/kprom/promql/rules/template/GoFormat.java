package io.kprom.promql.rules.template;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Go's {@code fmt} formatting for the verbs templates use ({@code %v %s %d %f %e %g %q %x %t %%}
 * with flags, width and precision), so annotations read byte-for-byte as Prometheus renders them.
 * Stateless and thread-safe.
 */
public final class GoFormat {
    private GoFormat() {
    }

    /** Go's {@code fmt.Sprint} of one value ({@code %v}). */
    public static String print(Object value) {
        if (value == null) {
            return "<nil>";
        }
        if (value instanceof Double d) {
            return formatFloat(d, 'g', -1);
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder sb = new StringBuilder("map[");
            boolean first = true;
            for (Map.Entry<?, ?> entry : new java.util.TreeMap<>(map).entrySet()) {
                if (!first) {
                    sb.append(' ');
                }
                first = false;
                sb.append(print(entry.getKey())).append(':').append(print(entry.getValue()));
            }
            return sb.append(']').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                sb.append(print(list.get(i)));
            }
            return sb.append(']').toString();
        }
        return value.toString();
    }

    /** Go's {@code fmt.Sprint(args...)}: spaces only between operands when neither is a string. */
    public static String sprint(List<Object> args) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            if (i > 0 && !(args.get(i) instanceof String) && !(args.get(i - 1) instanceof String)) {
                sb.append(' ');
            }
            sb.append(print(args.get(i)));
        }
        return sb.toString();
    }

    /** Go's {@code fmt.Sprintf}. */
    public static String sprintf(String format, List<Object> args) {
        StringBuilder out = new StringBuilder();
        int argIndex = 0;
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i++);
            if (c != '%') {
                out.append(c);
                continue;
            }
            boolean minus = false;
            boolean plus = false;
            boolean zero = false;
            boolean space = false;
            boolean sharp = false;
            while (i < format.length()) {
                char f = format.charAt(i);
                if (f == '-') {
                    minus = true;
                } else if (f == '+') {
                    plus = true;
                } else if (f == '0') {
                    zero = true;
                } else if (f == ' ') {
                    space = true;
                } else if (f == '#') {
                    sharp = true;
                } else {
                    break;
                }
                i++;
            }
            int width = -1;
            while (i < format.length() && Character.isDigit(format.charAt(i))) {
                width = Math.max(width, 0) * 10 + (format.charAt(i++) - '0');
            }
            int precision = -1;
            if (i < format.length() && format.charAt(i) == '.') {
                i++;
                precision = 0;
                while (i < format.length() && Character.isDigit(format.charAt(i))) {
                    precision = precision * 10 + (format.charAt(i++) - '0');
                }
            }
            if (i >= format.length()) {
                out.append("%!(NOVERB)");
                break;
            }
            char verb = format.charAt(i++);
            if (verb == '%') {
                out.append('%');
                continue;
            }
            if (argIndex >= args.size()) {
                out.append("%!").append(verb).append("(MISSING)");
                continue;
            }
            Object arg = args.get(argIndex++);
            String body = formatOne(verb, arg, precision, plus, space, sharp);
            out.append(pad(body, width, minus, zero && !minus && isNumeric(arg) && verb != 's' && verb != 'q'));
        }
        if (argIndex < args.size()) {
            out.append("%!(EXTRA ");
            for (int k = argIndex; k < args.size(); k++) {
                if (k > argIndex) {
                    out.append(", ");
                }
                Object extra = args.get(k);
                out.append(typeName(extra)).append('=').append(print(extra));
            }
            out.append(')');
        }
        return out.toString();
    }

    private static boolean isNumeric(Object arg) {
        return arg instanceof Number;
    }

    private static String typeName(Object arg) {
        if (arg instanceof Double) {
            return "float64";
        }
        if (arg instanceof Long || arg instanceof Integer) {
            return "int";
        }
        if (arg instanceof String) {
            return "string";
        }
        if (arg instanceof Boolean) {
            return "bool";
        }
        return arg == null ? "<nil>" : arg.getClass().getSimpleName();
    }

    private static String formatOne(char verb, Object arg, int precision, boolean plus, boolean space, boolean sharp) {
        switch (verb) {
            case 'v' -> {
                if (arg instanceof Double d) {
                    return sign(formatFloat(d, 'g', precision), d, plus, space);
                }
                return print(arg);
            }
            case 's' -> {
                String s = arg instanceof Double || arg instanceof Long || arg instanceof Boolean
                        ? "%!s(" + typeName(arg) + "=" + print(arg) + ")" : print(arg);
                return precision >= 0 && s.length() > precision ? s.substring(0, precision) : s;
            }
            case 'q' -> {
                return quote(print(arg));
            }
            case 't' -> {
                return arg instanceof Boolean ? arg.toString() : "%!t(" + typeName(arg) + "=" + print(arg) + ")";
            }
            case 'd' -> {
                if (arg instanceof Long || arg instanceof Integer) {
                    long v = ((Number) arg).longValue();
                    return sign(Long.toString(v), v, plus, space);
                }
                return "%!d(" + typeName(arg) + "=" + print(arg) + ")";
            }
            case 'x', 'X' -> {
                String s;
                if (arg instanceof Long || arg instanceof Integer) {
                    s = Long.toHexString(((Number) arg).longValue());
                } else if (arg instanceof String str) {
                    StringBuilder sb = new StringBuilder();
                    for (byte b : str.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                        sb.append(String.format("%02x", b & 0xff));
                    }
                    s = sb.toString();
                } else {
                    return "%!" + verb + "(" + typeName(arg) + "=" + print(arg) + ")";
                }
                if (sharp) {
                    s = "0x" + s;
                }
                return verb == 'X' ? s.toUpperCase(Locale.ROOT) : s;
            }
            case 'f', 'F', 'e', 'E', 'g', 'G' -> {
                double d;
                if (arg instanceof Double value) {
                    d = value;
                } else {
                    return "%!" + verb + "(" + typeName(arg) + "=" + print(arg) + ")";
                }
                char lower = Character.toLowerCase(verb);
                String s = formatFloat(d, lower == 'f' ? 'f' : lower, precision < 0 && lower != 'g' ? 6 : precision);
                if (Character.isUpperCase(verb)) {
                    s = s.toUpperCase(Locale.ROOT);
                }
                return sign(s, d, plus, space);
            }
            default -> {
                return "%!" + verb + "(" + typeName(arg) + "=" + print(arg) + ")";
            }
        }
    }

    private static String sign(String s, double v, boolean plus, boolean space) {
        if (s.startsWith("-") || s.startsWith("+")) {
            return s;
        }
        if (plus && !Double.isNaN(v)) {
            return "+" + s;
        }
        if (plus) {
            return "+" + s;
        }
        return space ? " " + s : s;
    }

    private static String pad(String s, int width, boolean left, boolean zeros) {
        if (width < 0 || s.length() >= width) {
            return s;
        }
        String padding = (zeros ? "0" : " ").repeat(width - s.length());
        if (left) {
            return s + padding;
        }
        if (zeros && (s.startsWith("-") || s.startsWith("+"))) {
            return s.charAt(0) + padding + s.substring(1);
        }
        return padding + s;
    }

    /** Go's {@code %q} of a string. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /**
     * Go's {@code strconv.FormatFloat(v, verb, precision, 64)} for verbs e, f, g with Go's
     * {@code fmt} conventions: precision -1 means the shortest representation that round-trips;
     * {@code %g} drops trailing zeros and switches to exponent form when the exponent is below -4
     * or at least the precision (6 when shortest); exponents have at least two digits.
     */
    public static String formatFloat(double v, char verb, int precision) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        boolean negative = v < 0 || v == 0 && 1 / v < 0;
        double abs = Math.abs(v);
        String digits;
        int pointPosition; // decimal point position relative to the start of digits
        if (abs == 0) {
            digits = "0";
            pointPosition = 1;
        } else {
            BigDecimal exact = new BigDecimal(abs);
            BigDecimal rounded;
            if (precision < 0) {
                rounded = new BigDecimal(Double.toString(abs));
            } else if (verb == 'f') {
                rounded = exact.setScale(precision, RoundingMode.HALF_EVEN);
            } else if (verb == 'e') {
                rounded = exact.round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
            } else {
                rounded = exact.round(new MathContext(Math.max(precision, 1), RoundingMode.HALF_EVEN));
            }
            BigDecimal stripped = rounded.stripTrailingZeros();
            if (stripped.signum() == 0) {
                digits = "0";
                pointPosition = 1;
            } else {
                digits = stripped.unscaledValue().toString();
                pointPosition = digits.length() - stripped.scale();
            }
        }
        String body;
        switch (verb) {
            case 'f' -> body = fixed(digits, pointPosition, precision < 0 ? Math.max(digits.length() - pointPosition, 0)
                    : precision);
            case 'e' -> body = exponent(digits, pointPosition, precision < 0 ? digits.length() - 1 : precision);
            default -> {
                int eprec = precision < 0 ? 6 : Math.max(precision, 1);
                if (precision >= 0 && eprec > digits.length() && digits.length() >= pointPosition) {
                    eprec = digits.length();
                }
                int exp = pointPosition - 1;
                if (abs != 0 && (exp < -4 || exp >= eprec)) {
                    body = exponent(digits, pointPosition, digits.length() - 1);
                } else {
                    body = fixed(digits, pointPosition, Math.max(digits.length() - pointPosition, 0));
                }
            }
        }
        return negative ? "-" + body : body;
    }

    private static String fixed(String digits, int pointPosition, int decimals) {
        StringBuilder sb = new StringBuilder();
        if (pointPosition <= 0) {
            sb.append('0');
        } else {
            for (int i = 0; i < pointPosition; i++) {
                sb.append(i < digits.length() ? digits.charAt(i) : '0');
            }
        }
        if (decimals > 0) {
            sb.append('.');
            for (int i = 0; i < decimals; i++) {
                int index = pointPosition + i;
                sb.append(index >= 0 && index < digits.length() ? digits.charAt(index) : '0');
            }
        }
        return sb.toString();
    }

    private static String exponent(String digits, int pointPosition, int decimals) {
        StringBuilder sb = new StringBuilder();
        sb.append(digits.charAt(0));
        if (decimals > 0) {
            sb.append('.');
            for (int i = 1; i <= decimals; i++) {
                sb.append(i < digits.length() ? digits.charAt(i) : '0');
            }
        }
        int exp = digits.equals("0") ? 0 : pointPosition - 1;
        sb.append('e').append(exp < 0 ? '-' : '+');
        int absExp = Math.abs(exp);
        if (absExp < 10) {
            sb.append('0');
        }
        return sb.append(absExp).toString();
    }
}
