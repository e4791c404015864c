package io.kprom.promql.rules;

/**
 * Checks that a rule's {@code expr} is valid PromQL, so bad rules fail at load time.
 * Implementations are stateless and thread-safe.
 */
@FunctionalInterface
public interface ExpressionChecker {
    /**
     * Throws {@link IllegalArgumentException} whose message is the parse error as Prometheus words
     * it (e.g. {@code 1:5: parse error: unexpected end of input}) when the expression is invalid.
     */
    void check(String expr);
}
