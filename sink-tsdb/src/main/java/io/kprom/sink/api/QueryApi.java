package io.kprom.sink.api;

import io.kprom.promql.engine.QueryEngine;
import io.kprom.promql.engine.QueryException;
import io.kprom.promql.engine.QueryException.ErrorType;
import io.kprom.promql.engine.QueryOptions;
import io.kprom.promql.engine.QueryResult;
import io.kprom.promql.engine.Value;
import io.kprom.promql.storage.Queryable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/v1/query} and {@code /api/v1/query_range}: parameter checks, query guards and
 * result encoding exactly as Prometheus does them. Thread-safe.
 */
public final class QueryApi {
    static final long MAX_POINTS_PER_SERIES = 11_000;
    static final String TRUNCATED = "results truncated due to limit";

    private final QueryEngine engine;
    private final Queryable storage;
    private final QueryLimits limits;
    private final QueryGate gate;
    private final Clock clock;

    public QueryApi(QueryEngine engine, Queryable storage, QueryLimits limits, Clock clock) {
        this.engine = engine;
        this.storage = storage;
        this.limits = limits;
        this.gate = new QueryGate(limits.maxConcurrency());
        this.clock = clock;
    }

    public ApiEndpoint instantEndpoint() {
        return ApiEndpoint.of(ApiEndpoint.GET_POST, this::instant);
    }

    public ApiEndpoint rangeEndpoint() {
        return ApiEndpoint.of(ApiEndpoint.GET_POST, this::range);
    }

    ApiResult instant(ApiRequest request) {
        int limit = request.limit("limit");
        long time = request.timeMillis("time", clock.millis());
        Duration timeout = timeout(request);
        QueryOptions options = options(request, timeout);
        String query = request.value("query");
        return run(timeout, () -> engine.instantQuery(storage, query, time, options), limit, "instant");
    }

    ApiResult range(ApiRequest request) {
        int limit = request.limit("limit");
        long start = parseTime(request, "start");
        long end = parseTime(request, "end");
        if (end < start) {
            throw new QueryException(ErrorType.BAD_DATA, "end timestamp must not be before start time");
        }
        long stepNanos;
        try {
            stepNanos = ApiParams.parseDurationNanos(request.value("step"));
        } catch (IllegalArgumentException e) {
            throw ApiRequest.invalidParameter("step", e.getMessage());
        }
        if (stepNanos <= 0) {
            throw new QueryException(ErrorType.BAD_DATA,
                    "zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        // Go divides durations in nanoseconds; for safety Prometheus limits points per series.
        if (Math.multiplyHigh(end - start, 1_000_000L) != 0
                || (end - start) * 1_000_000L / stepNanos > MAX_POINTS_PER_SERIES) {
            throw new QueryException(ErrorType.BAD_DATA, "exceeded maximum resolution of 11,000 points per timeseries."
                    + " Try decreasing the query resolution (?step=XX)");
        }
        long stepMillis = Math.max(1, stepNanos / 1_000_000L);
        Duration timeout = timeout(request);
        QueryOptions options = options(request, timeout);
        String query = request.value("query");
        return run(timeout, () -> engine.rangeQuery(storage, query, start, end, stepMillis, options), limit, "range");
    }

    private static long parseTime(ApiRequest request, String name) {
        try {
            return ApiParams.parseTimeMillis(request.value(name));
        } catch (IllegalArgumentException e) {
            throw ApiRequest.invalidParameter(name, e.getMessage());
        }
    }

    private Duration timeout(ApiRequest request) {
        String text = request.value("timeout");
        if (text.isEmpty()) {
            return limits.timeout();
        }
        long nanos;
        try {
            nanos = ApiParams.parseDurationNanos(text);
        } catch (IllegalArgumentException e) {
            throw ApiRequest.invalidParameter("timeout", e.getMessage());
        }
        Duration requested = Duration.ofNanos(nanos);
        return requested.compareTo(limits.timeout()) < 0 ? requested : limits.timeout();
    }

    private QueryOptions options(ApiRequest request, Duration timeout) {
        Duration lookback = limits.lookbackDelta();
        String text = request.value("lookback_delta");
        if (!text.isEmpty()) {
            long nanos;
            try {
                nanos = ApiParams.parseDurationNanos(text);
            } catch (IllegalArgumentException e) {
                throw new QueryException(ErrorType.BAD_DATA, "error parsing lookback delta duration: " + e.getMessage());
            }
            if (nanos > 0) {
                lookback = Duration.ofNanos(nanos);
            }
        }
        return new QueryOptions(lookback, limits.maxSamples(), timeout);
    }

    private ApiResult run(Duration timeout, java.util.function.Supplier<QueryResult> query, int limit, String kind) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new QueryException(ErrorType.TIMEOUT, "query timed out in query queue");
        }
        long startNanos = System.nanoTime();
        QueryResult result;
        try (AutoCloseable slot = gate.enter(timeout.toMillis())) {
            result = query.get();
        } catch (QueryException e) {
            ApiMetrics.API_ERRORS.labelValues(e.type().apiName()).inc();
            if (e.type() == ErrorType.BAD_DATA) {
                // The engine reports parse errors as bad_data; Prometheus names the parameter.
                throw new QueryException(ErrorType.BAD_DATA, "invalid parameter \"query\": " + e.getMessage(), e);
            }
            throw e;
        } catch (RuntimeException e) {
            ApiMetrics.API_ERRORS.labelValues(ErrorType.EXECUTION.apiName()).inc();
            throw new QueryException(ErrorType.EXECUTION, String.valueOf(e.getMessage()), e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            ApiMetrics.QUERY_DURATION.labelValues(kind + "_eval").observe((System.nanoTime() - startNanos) / 1e9);
        }
        List<String> warnings = new ArrayList<>(result.warnings());
        Value value = result.value();
        if (limit > 0) {
            Value truncated = truncate(value, limit);
            if (truncated != value) {
                value = truncated;
                warnings.add(TRUNCATED);
            }
        }
        Value answer = value;
        return ApiResult.of(json -> ApiJson.writeQueryData(json, answer), warnings, result.infos());
    }

    private static Value truncate(Value value, int limit) {
        if (value instanceof Value.VectorValue vector && vector.samples().size() > limit) {
            return new Value.VectorValue(vector.samples().subList(0, limit));
        }
        if (value instanceof Value.MatrixValue matrix && matrix.series().size() > limit) {
            return new Value.MatrixValue(matrix.series().subList(0, limit));
        }
        return value;
    }
}
