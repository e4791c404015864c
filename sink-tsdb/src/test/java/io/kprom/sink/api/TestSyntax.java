package io.kprom.sink.api;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hand-written stand-in for the PromQL parser in API tests: understands series selectors
 * ({@code name{a="b", c=~"d"}}) and treats any other non-empty text as a valid query.
 */
final class TestSyntax implements PromqlSyntax {
    private static final Pattern SELECTOR = Pattern.compile("\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)?\\s*(?:\\{(.*)\\})?\\s*");
    private static final Pattern MATCHER = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"\\s*,?");

    @Override
    public List<LabelMatcher> parseMetricSelector(String selector) {
        Matcher m = SELECTOR.matcher(selector);
        if (selector.isBlank() || !m.matches()) {
            throw new IllegalArgumentException("1:1: parse error: unexpected character in selector");
        }
        List<LabelMatcher> matchers = new ArrayList<>();
        if (m.group(1) != null) {
            matchers.add(LabelMatcher.equal(Labels.METRIC_NAME, m.group(1)));
        }
        if (m.group(2) != null) {
            Matcher each = MATCHER.matcher(m.group(2));
            int end = 0;
            while (each.find() && each.start() == end) {
                LabelMatcher.Type type = switch (each.group(2)) {
                    case "=" -> LabelMatcher.Type.EQUAL;
                    case "!=" -> LabelMatcher.Type.NOT_EQUAL;
                    case "=~" -> LabelMatcher.Type.REGEX;
                    default -> LabelMatcher.Type.NOT_REGEX;
                };
                matchers.add(LabelMatcher.of(type, each.group(1), each.group(3)));
                end = each.end();
            }
            if (end != m.group(2).length()) {
                throw new IllegalArgumentException("1:1: parse error: bad matcher list");
            }
        }
        return matchers;
    }

    @Override
    public void check(String query) {
        if (query.isBlank()) {
            throw new IllegalArgumentException("1:1: parse error: no expression found in input");
        }
    }

    @Override
    public String format(String query) {
        check(query);
        return query.strip().replaceAll("\\s+", " ");
    }
}
