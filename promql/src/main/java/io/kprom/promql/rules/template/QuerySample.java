package io.kprom.promql.rules.template;

import java.util.Map;

/** One element of the {@code query} template function's result: {@code .Labels} and {@code .Value}. */
public record QuerySample(Map<String, String> labels, double value) {
    public QuerySample {
        labels = Map.copyOf(labels);
    }
}
