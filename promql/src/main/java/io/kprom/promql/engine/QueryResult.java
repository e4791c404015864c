package io.kprom.promql.engine;

import java.util.List;

/** A query's value plus Prometheus's annotations (warnings and infos). Immutable. */
public record QueryResult(Value value, List<String> warnings, List<String> infos) {
    public QueryResult {
        warnings = List.copyOf(warnings);
        infos = List.copyOf(infos);
    }
}
