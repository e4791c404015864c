package io.kprom.promql.rules;

import io.kprom.promql.parser.ParseException;
import io.kprom.promql.parser.PromqlParser;

/** Checks rule expressions with kprom's PromQL parser. Stateless and thread-safe. */
final class PromqlExpressionChecker implements ExpressionChecker {
    static final PromqlExpressionChecker INSTANCE = new PromqlExpressionChecker();

    private PromqlExpressionChecker() {
    }

    @Override
    public void check(String expr) {
        try {
            PromqlParser.parse(expr);
        } catch (ParseException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
