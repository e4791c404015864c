package io.kprom.sink.api;

import io.kprom.common.labels.LabelMatcher;
import java.util.List;

/**
 * The PromQL syntax services the API needs besides evaluation: series selectors for
 * {@code match[]}, syntax checks and pretty printing for {@code format_query}. Implementations
 * throw an {@link IllegalArgumentException} (or any runtime exception) whose message is the
 * Prometheus parse error, e.g. {@code 1:5: parse error: unexpected end of input}. Thread-safe.
 */
public interface PromqlSyntax {
    /** Matchers of a series selector such as {@code up{job="node"}} or {@code {__name__=~"a.*"}}. */
    List<LabelMatcher> parseMetricSelector(String selector);

    /** Checks that {@code query} is a valid expression. */
    void check(String query);

    /** The expression formatted as Prometheus's {@code format_query} returns it. */
    String format(String query);
}
