package io.kprom.promql.rules;

import io.kprom.common.labels.Labels;
import io.kprom.promql.engine.QueryEngine;
import io.kprom.promql.engine.QueryException;
import io.kprom.promql.engine.QueryOptions;
import io.kprom.promql.engine.QueryResult;
import io.kprom.promql.engine.Value;
import io.kprom.promql.storage.Queryable;
import java.util.List;

/**
 * How rules run PromQL: an instant query at a time, answering an instant vector (Prometheus's
 * {@code rules.QueryFunc}). A scalar result becomes one sample with no labels, as in Prometheus;
 * a string result is an error.
 *
 * <p>Implementations must be safe for use from one evaluating thread at a time; {@link #of}'s is
 * thread-safe when the engine and storage are.
 */
@FunctionalInterface
public interface QueryFunction {
    /** Throws {@link QueryException} when the query fails. */
    List<Value.Sample> query(String expr, long timeMillis);

    /** A query function backed by a {@link QueryEngine} over a {@link Queryable}. */
    static QueryFunction of(QueryEngine engine, Queryable storage, QueryOptions options) {
        return (expr, timeMillis) -> {
            QueryResult result = engine.instantQuery(storage, expr, timeMillis, options);
            return toVector(result.value());
        };
    }

    /** Prometheus's conversion of a rule query result to a vector. */
    static List<Value.Sample> toVector(Value value) {
        if (value instanceof Value.VectorValue vector) {
            return vector.samples();
        }
        if (value instanceof Value.ScalarValue scalar) {
            return List.of(new Value.Sample(Labels.EMPTY, scalar.timestampMillis(), scalar.value()));
        }
        throw new QueryException(QueryException.ErrorType.EXECUTION, "rule result is not a vector or scalar");
    }
}
