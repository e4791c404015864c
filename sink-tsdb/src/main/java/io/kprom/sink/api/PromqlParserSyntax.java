package io.kprom.sink.api;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.promql.parser.PromqlParser;
import io.kprom.promql.parser.PromqlPrinter;
import java.util.List;

/** {@link PromqlSyntax} backed by kprom's PromQL parser and printer. Stateless and thread-safe. */
public final class PromqlParserSyntax implements PromqlSyntax {
    @Override
    public List<LabelMatcher> parseMetricSelector(String selector) {
        return PromqlParser.parseMetricSelector(selector);
    }

    @Override
    public void check(String query) {
        PromqlParser.parse(query);
    }

    @Override
    public String format(String query) {
        return PromqlPrinter.format(PromqlParser.parse(query));
    }
}
