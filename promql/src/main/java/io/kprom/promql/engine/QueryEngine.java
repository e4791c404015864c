package io.kprom.promql.engine;

import io.kprom.promql.storage.Queryable;

/**
 * Evaluates PromQL with Prometheus 3.x semantics over any {@link Queryable}.
 *
 * <pre>{@code
 * QueryResult result = engine.instantQuery(storage, "sum by (job) (rate(http_requests_total[5m]))",
 *     nowMillis, QueryOptions.defaults());
 * }</pre>
 *
 * Thread-safe: one engine serves concurrent queries. Throws {@link QueryException} for parse
 * errors ({@code bad_data}), evaluation errors ({@code execution}), timeouts and cancellation.
 */
public interface QueryEngine {
    QueryResult instantQuery(Queryable storage, String query, long timeMillis, QueryOptions options);

    QueryResult rangeQuery(Queryable storage, String query, long startMillis, long endMillis, long stepMillis,
            QueryOptions options);
}
