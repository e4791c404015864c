package io.kprom.promql.rules.template;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.kprom.promql.rules.PromDurations;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The functions an alert template may call: Go's text/template builtins plus Prometheus's
 * template functions. Any other name fails at parse time. Stateless and thread-safe.
 */
final class TemplateFunctions {
    @FunctionalInterface
    interface Function {
        Object apply(List<Object> args, TemplateContext context) throws Exception;
    }

    private static final Map<String, Function> FUNCTIONS = new LinkedHashMap<>();
    private static final Map<String, Integer> ARITY = new LinkedHashMap<>();

    static {
        // Go builtins.
        variadic("and", (a, c) -> {
            for (Object o : a) {
                if (!truth(o)) {
                    return o;
                }
            }
            return a.get(a.size() - 1);
        }, 1);
        variadic("or", (a, c) -> {
            for (Object o : a) {
                if (truth(o)) {
                    return o;
                }
            }
            return a.get(a.size() - 1);
        }, 1);
        fixed("not", 1, (a, c) -> !truth(a.get(0)));
        fixed("len", 1, (a, c) -> length(a.get(0)));
        variadic("index", TemplateFunctions::index, 1);
        variadic("print", (a, c) -> GoFormat.sprint(a), 0);
        variadic("println", (a, c) -> {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < a.size(); i++) {
                sb.append(i > 0 ? " " : "").append(GoFormat.print(a.get(i)));
            }
            return sb.append('\n').toString();
        }, 0);
        variadic("printf", (a, c) -> GoFormat.sprintf(string(a.get(0), "printf"), a.subList(1, a.size())), 1);
        variadic("html", (a, c) -> htmlEscape(GoFormat.sprint(a)), 0);
        variadic("js", (a, c) -> jsEscape(GoFormat.sprint(a)), 0);
        variadic("urlquery", (a, c) -> URLEncoder.encode(GoFormat.sprint(a), StandardCharsets.UTF_8), 0);
        variadic("eq", (a, c) -> {
            for (int i = 1; i < a.size(); i++) {
                if (compare(a.get(0), a.get(i), "eq") == 0) {
                    return true;
                }
            }
            return false;
        }, 2);
        fixed("ne", 2, (a, c) -> compare(a.get(0), a.get(1), "ne") != 0);
        fixed("lt", 2, (a, c) -> compare(a.get(0), a.get(1), "lt") < 0);
        fixed("le", 2, (a, c) -> compare(a.get(0), a.get(1), "le") <= 0);
        fixed("gt", 2, (a, c) -> compare(a.get(0), a.get(1), "gt") > 0);
        fixed("ge", 2, (a, c) -> compare(a.get(0), a.get(1), "ge") >= 0);

        // Prometheus template functions.
        fixed("query", 1, (a, c) -> c.query(string(a.get(0), "query")));
        fixed("first", 1, (a, c) -> {
            List<?> samples = samples(a.get(0), "first");
            if (samples.isEmpty()) {
                throw new IllegalArgumentException("first() called on vector with no elements");
            }
            return samples.get(0);
        });
        fixed("label", 2, (a, c) -> {
            QuerySample sample = sample(a.get(1));
            return sample == null ? "" : sample.labels().getOrDefault(string(a.get(0), "label"), "");
        });
        fixed("value", 1, (a, c) -> {
            QuerySample sample = sample(a.get(0));
            return sample == null ? 0.0 : sample.value();
        });
        fixed("strvalue", 1, (a, c) -> {
            QuerySample sample = sample(a.get(0));
            return sample == null ? "" : sample.labels().getOrDefault("__value__", "");
        });
        variadic("args", (a, c) -> {
            Map<String, Object> result = new TreeMap<>();
            for (int i = 0; i < a.size(); i++) {
                result.put("arg" + i, a.get(i));
            }
            return result;
        }, 0);
        fixed("reReplaceAll", 3, (a, c) -> {
            Pattern pattern = Pattern.compile(string(a.get(0), "reReplaceAll"));
            return replaceAll(pattern, string(a.get(2), "reReplaceAll"), string(a.get(1), "reReplaceAll"));
        });
        fixed("match", 2, (a, c) -> Pattern.compile(string(a.get(0), "match")).matcher(string(a.get(1), "match")).find());
        fixed("safeHtml", 1, (a, c) -> string(a.get(0), "safeHtml"));
        fixed("title", 1, (a, c) -> title(string(a.get(0), "title")));
        fixed("toUpper", 1, (a, c) -> string(a.get(0), "toUpper").toUpperCase(Locale.ROOT));
        fixed("toLower", 1, (a, c) -> string(a.get(0), "toLower").toLowerCase(Locale.ROOT));
        fixed("graphLink", 1, (a, c) -> "/graph?g0.expr=" + queryEscape(string(a.get(0), "graphLink")) + "&g0.tab=0");
        fixed("tableLink", 1, (a, c) -> "/graph?g0.expr=" + queryEscape(string(a.get(0), "tableLink")) + "&g0.tab=1");
        fixed("sortByLabel", 2, (a, c) -> {
            String label = string(a.get(0), "sortByLabel");
            List<QuerySample> sorted = new ArrayList<>();
            for (Object o : samples(a.get(1), "sortByLabel")) {
                sorted.add((QuerySample) o);
            }
            sorted.sort(Comparator.comparing(s -> s.labels().getOrDefault(label, "")));
            return sorted;
        });
        fixed("humanize", 1, (a, c) -> Humanize.humanize(number(a.get(0))));
        fixed("humanize1024", 1, (a, c) -> Humanize.humanize1024(number(a.get(0))));
        fixed("humanizeDuration", 1, (a, c) -> Humanize.duration(number(a.get(0))));
        fixed("humanizePercentage", 1, (a, c) -> Humanize.percentage(number(a.get(0))));
        fixed("humanizeTimestamp", 1, (a, c) -> Humanize.timestamp(number(a.get(0))));
        fixed("toTime", 1, (a, c) -> new GoTime(number(a.get(0))));
        fixed("parseDuration", 1, (a, c) -> PromDurations.parse(string(a.get(0), "parseDuration")).toMillis() / 1000.0);
        fixed("stripPort", 1, (a, c) -> stripPort(string(a.get(0), "stripPort")));
        fixed("stripDomain", 1, (a, c) -> stripDomain(string(a.get(0), "stripDomain")));
        fixed("pathPrefix", 0, (a, c) -> {
            String url = c.externalUrl();
            return url.isEmpty() ? "" : java.net.URI.create(url).getRawPath();
        });
        fixed("externalURL", 0, (a, c) -> c.externalUrl());
        fixed("now", 0, (a, c) -> c.timeMillis() / 1000.0);
    }

    private TemplateFunctions() {
    }

    static Set<String> names() {
        return FUNCTIONS.keySet();
    }

    static Object call(String name, List<Object> args, TemplateContext context) throws Exception {
        int arity = ARITY.get(name);
        if (arity >= 0 && args.size() != arity) {
            throw new IllegalArgumentException("wrong number of args for " + name + ": want " + arity + " got " + args.size());
        }
        if (arity < 0 && args.size() < -arity - 1) {
            throw new IllegalArgumentException("wrong number of args for " + name + ": want at least " + (-arity - 1)
                    + " got " + args.size());
        }
        return FUNCTIONS.get(name).apply(args, context);
    }

    private static void fixed(String name, int arity, Function function) {
        FUNCTIONS.put(name, function);
        ARITY.put(name, arity);
    }

    private static void variadic(String name, Function function, int minimum) {
        FUNCTIONS.put(name, function);
        ARITY.put(name, -minimum - 1);
    }

    static boolean truth(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Double d) {
            return d != 0;
        }
        if (value instanceof Long l) {
            return l != 0;
        }
        if (value instanceof String s) {
            return !s.isEmpty();
        }
        if (value instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        if (value instanceof List<?> l) {
            return !l.isEmpty();
        }
        return true;
    }

    private static long length(Object value) {
        if (value instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8).length;
        }
        if (value instanceof Map<?, ?> m) {
            return m.size();
        }
        if (value instanceof List<?> l) {
            return l.size();
        }
        throw new IllegalArgumentException("len of type " + (value == null ? "nil" : value.getClass().getSimpleName()));
    }

    private static Object index(List<Object> args, TemplateContext context) {
        Object current = args.get(0);
        for (int i = 1; i < args.size(); i++) {
            Object key = args.get(i);
            if (current instanceof Map<?, ?> map) {
                Object value = map.get(key instanceof String ? key : GoFormat.print(key));
                current = value == null && map.values().stream().allMatch(v -> v instanceof String) ? "" : value;
            } else if (current instanceof List<?> list && key instanceof Long index) {
                if (index < 0 || index >= list.size()) {
                    throw new IllegalArgumentException("error calling index: index out of range: " + index);
                }
                current = list.get(index.intValue());
            } else {
                throw new IllegalArgumentException("can't index item of type " + describe(current));
            }
        }
        return current;
    }

    private static int compare(Object left, Object right, String name) {
        if (left instanceof Number l && right instanceof Number r) {
            if (l instanceof Long a && r instanceof Long b) {
                return Long.compare(a, b);
            }
            return Double.compare(l.doubleValue(), r.doubleValue());
        }
        if (left instanceof String l && right instanceof String r) {
            return l.compareTo(r);
        }
        if (left instanceof Boolean l && right instanceof Boolean r && (name.equals("eq") || name.equals("ne"))) {
            return l.equals(r) ? 0 : 1;
        }
        if (left == null && right == null && (name.equals("eq") || name.equals("ne"))) {
            return 0;
        }
        throw new IllegalArgumentException("error calling " + name + ": incompatible types for comparison");
    }

    static String describe(Object value) {
        return value == null ? "<nil>" : value.getClass().getSimpleName();
    }

    private static String string(Object value, String function) {
        if (value instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("wrong type for value; expected string; got " + typeOf(value)
                + " (in " + function + ")");
    }

    private static String typeOf(Object value) {
        if (value instanceof Double) {
            return "float64";
        }
        if (value instanceof Long) {
            return "int";
        }
        return describe(value);
    }

    /** Prometheus's convertToFloat: numbers, numeric strings. */
    static double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            try {
                return parseGoFloat(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("strconv.ParseFloat: parsing " + GoFormat.quote(s) + ": invalid syntax");
            }
        }
        if (value instanceof GoTime t) {
            return t.unixSeconds();
        }
        throw new IllegalArgumentException("can't convert " + describe(value) + " to float");
    }

    private static double parseGoFloat(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> {
                if (s.isEmpty() || s.endsWith("d") || s.endsWith("f") || s.endsWith("D") || s.endsWith("F")) {
                    throw new NumberFormatException(s);
                }
                yield Double.parseDouble(s);
            }
        };
    }

    private static List<?> samples(Object value, String function) {
        if (value instanceof List<?> list) {
            return list;
        }
        throw new IllegalArgumentException("wrong type for value; expected query result; got " + describe(value)
                + " (in " + function + ")");
    }

    private static QuerySample sample(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof QuerySample sample) {
            return sample;
        }
        throw new IllegalArgumentException("wrong type for value; expected sample; got " + describe(value));
    }

    /** Go's regexp ReplaceAllString: {@code $1}, {@code ${name}}, {@code $$}. */
    static String replaceAll(Pattern pattern, String text, String template) {
        Matcher matcher = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        int last = 0;
        int searchFrom = 0;
        while (searchFrom <= text.length() && matcher.find(searchFrom)) {
            out.append(text, last, matcher.start());
            expand(out, template, matcher);
            last = matcher.end();
            searchFrom = matcher.end() == matcher.start() ? matcher.end() + 1 : matcher.end();
        }
        out.append(text.substring(Math.min(last, text.length())));
        return out.toString();
    }

    private static void expand(StringBuilder out, String template, Matcher matcher) {
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '$' || i + 1 >= template.length()) {
                out.append(c);
                i++;
                continue;
            }
            if (template.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
                continue;
            }
            String name;
            int end;
            if (template.charAt(i + 1) == '{') {
                int close = template.indexOf('}', i + 2);
                if (close < 0) {
                    out.append(c);
                    i++;
                    continue;
                }
                name = template.substring(i + 2, close);
                end = close + 1;
            } else {
                end = i + 1;
                while (end < template.length()
                        && (Character.isLetterOrDigit(template.charAt(end)) || template.charAt(end) == '_')) {
                    end++;
                }
                name = template.substring(i + 1, end);
            }
            if (name.isEmpty()) {
                out.append(c);
                i++;
                continue;
            }
            String group = null;
            if (name.chars().allMatch(Character::isDigit)) {
                int index = Integer.parseInt(name);
                if (index <= matcher.groupCount()) {
                    group = matcher.group(index);
                }
            } else {
                try {
                    group = matcher.group(name);
                } catch (IllegalArgumentException e) {
                    group = null;
                }
            }
            if (group != null) {
                out.append(group);
            }
            i = end;
        }
    }

    private static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean previousLetter = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean letter = Character.isLetterOrDigit(c) || c == '_' || c == '\'';
            sb.append(letter && !previousLetter ? Character.toTitleCase(c) : c);
            previousLetter = letter;
        }
        return sb.toString();
    }

    private static String queryEscape(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String stripPort(String hostPort) {
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            return close < 0 ? hostPort : hostPort.substring(1, close);
        }
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0 || hostPort.indexOf(':') != colon) {
            return hostPort;
        }
        return hostPort.substring(0, colon);
    }

    private static String stripDomain(String hostPort) {
        String host = hostPort;
        String port = "";
        int colon = hostPort.lastIndexOf(':');
        if (colon >= 0 && hostPort.indexOf(':') == colon) {
            host = hostPort.substring(0, colon);
            port = hostPort.substring(colon);
        }
        if (host.matches("[0-9.]+")) {
            return hostPort;
        }
        int dot = host.indexOf('.');
        return (dot < 0 ? host : host.substring(0, dot)) + port;
    }

    private static String htmlEscape(String s) {
        return s.replace("&", "&amp;").replace("'", "&#39;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&#34;").replace("\u0000", "\uFFFD");
    }

    private static String jsEscape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\'' -> sb.append("\\'");
                case '"' -> sb.append("\\\"");
                case '<' -> sb.append("\\u003C");
                case '>' -> sb.append("\\u003E");
                case '&' -> sb.append("\\u0026");
                case '=' -> sb.append("\\u003D");
                case '\n' -> sb.append("\\u000A");
                case '\r' -> sb.append("\\u000D");
                case '\t' -> sb.append("\\u0009");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
