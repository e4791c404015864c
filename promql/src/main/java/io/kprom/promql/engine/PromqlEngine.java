package io.kprom.promql.engine;

import io.kprom.common.labels.Labels;
import io.kprom.promql.ast.Expr;
import io.kprom.promql.ast.ValueType;
import io.kprom.promql.parser.ParseException;
import io.kprom.promql.parser.PromqlParser;
import io.kprom.promql.storage.Querier;
import io.kprom.promql.storage.Queryable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The PromQL engine: Prometheus 3.x semantics, evaluated step-vector style (every operator computes
 * all steps of a series at once; each selected series is read from storage once per query).
 *
 * <pre>{@code
 * QueryEngine engine = PromqlEngine.builder().defaultSubqueryStep(Duration.ofMinutes(1)).build();
 * QueryResult now = engine.instantQuery(storage, "sum by (job) (rate(http_requests_total[5m]))",
 *     System.currentTimeMillis(), QueryOptions.defaults());
 * QueryResult graph = engine.rangeQuery(storage, "up", start, end, 15_000, QueryOptions.defaults());
 * }</pre>
 *
 * <p>Thread-safe and stateless between queries: build one and share it. Each query runs on the
 * calling thread, opens one {@link Querier} bounded to the data the query needs and closes it before
 * returning. Interrupting the calling thread cancels the query promptly
 * ({@link QueryException.ErrorType#CANCELED}); {@link QueryOptions#timeout()} and
 * {@link QueryOptions#maxSamples()} fail it with Prometheus's messages.
 */
public final class PromqlEngine implements QueryEngine {
    private final long defaultSubqueryStepMillis;

    private PromqlEngine(Builder builder) {
        this.defaultSubqueryStepMillis = builder.defaultSubqueryStep.toMillis();
    }

    /** An engine with Prometheus's defaults (subqueries without a step use 1m, the default evaluation interval). */
    public PromqlEngine() {
        this(builder());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Engine-wide settings. Not thread-safe; the built engine is. */
    public static final class Builder {
        private Duration defaultSubqueryStep = Duration.ofMinutes(1);

        /** The step of subqueries written without one ({@code x[5m:]}): Prometheus's global evaluation interval. */
        public Builder defaultSubqueryStep(Duration step) {
            if (step.isZero() || step.isNegative()) {
                throw new IllegalArgumentException("default subquery step must be positive, got " + step);
            }
            this.defaultSubqueryStep = step;
            return this;
        }

        public PromqlEngine build() {
            return new PromqlEngine(this);
        }
    }

    @Override
    public QueryResult instantQuery(Queryable storage, String query, long timeMillis, QueryOptions options) {
        return instantQuery(storage, query, parse(query), timeMillis, options);
    }

    /** Evaluates an already parsed expression (rule engines parse once and evaluate often). */
    public QueryResult instantQuery(Queryable storage, Expr expr, long timeMillis, QueryOptions options) {
        return instantQuery(storage, "", expr, timeMillis, options);
    }

    @Override
    public QueryResult rangeQuery(Queryable storage, String query, long startMillis, long endMillis, long stepMillis,
            QueryOptions options) {
        return rangeQuery(storage, query, parse(query), startMillis, endMillis, stepMillis, options);
    }

    /** Evaluates an already parsed expression over a range. */
    public QueryResult rangeQuery(Queryable storage, Expr expr, long startMillis, long endMillis, long stepMillis,
            QueryOptions options) {
        return rangeQuery(storage, "", expr, startMillis, endMillis, stepMillis, options);
    }

    private static Expr parse(String query) {
        try {
            return PromqlParser.parse(query);
        } catch (ParseException e) {
            throw new QueryException(QueryException.ErrorType.BAD_DATA, e.getMessage(), e);
        }
    }

    private QueryResult instantQuery(Queryable storage, String query, Expr expr, long timeMillis,
            QueryOptions options) {
        Objects.requireNonNull(options, "options");
        StepGrid grid = StepGrid.instant(timeMillis);
        return execute(storage, query, expr, grid, options, true);
    }

    private QueryResult rangeQuery(Queryable storage, String query, Expr expr, long startMillis, long endMillis,
            long stepMillis, QueryOptions options) {
        Objects.requireNonNull(options, "options");
        if (stepMillis <= 0) {
            throw new QueryException(QueryException.ErrorType.BAD_DATA,
                    "zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        if (endMillis < startMillis) {
            throw new QueryException(QueryException.ErrorType.BAD_DATA, "end timestamp must not be before start time");
        }
        ValueType type = expr.type();
        if (type != ValueType.SCALAR && type != ValueType.VECTOR) {
            throw new QueryException(QueryException.ErrorType.BAD_DATA, "invalid expression type \""
                    + type.documentedName() + "\" for range query, must be Scalar or instant Vector");
        }
        return execute(storage, query, expr, new StepGrid(startMillis, endMillis, stepMillis), options, false);
    }

    private QueryResult execute(Queryable storage, String query, Expr expr, StepGrid grid, QueryOptions options,
            boolean instant) {
        long[] bounds = DataBounds.of(expr, grid.startMillis(), grid.endMillis(), options.lookbackDelta().toMillis());
        try (Querier querier = storage.querier(bounds[0], bounds[1])) {
            EvaluationContext context = new EvaluationContext(querier, query, grid.startMillis(), grid.endMillis(),
                    options, defaultSubqueryStepMillis);
            Operand operand = new Evaluator(context, grid).evaluate(expr);
            Value value = instant ? instantValue(operand, grid) : rangeValue(operand, grid);
            return new QueryResult(value, new ArrayList<>(context.warnings()), new ArrayList<>(context.infos()));
        } catch (QueryException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new QueryException(QueryException.ErrorType.INTERNAL, "unexpected error: " + e, e);
        } catch (Exception e) {
            throw new QueryException(QueryException.ErrorType.INTERNAL, "closing querier failed: " + e, e);
        }
    }

    private static Value instantValue(Operand operand, StepGrid grid) {
        long time = grid.startMillis();
        if (operand instanceof Operand.Scalar scalar) {
            return new Value.ScalarValue(time, scalar.values()[0]);
        }
        if (operand instanceof Operand.Text text) {
            return new Value.StringValue(time, text.value());
        }
        if (operand instanceof Operand.Matrix matrix) {
            List<Value.SeriesValue> series = new ArrayList<>(matrix.series().size());
            for (Operand.RawSeries raw : matrix.series()) {
                series.add(new Value.SeriesValue(raw.labels(), raw.timestamps(), raw.values()));
            }
            series.sort(Comparator.comparing(Value.SeriesValue::labels));
            return new Value.MatrixValue(series);
        }
        List<Value.Sample> samples = new ArrayList<>();
        for (StepSeries series : ((Operand.Vector) operand).series()) {
            if (series.has(0)) {
                samples.add(new Value.Sample(series.labels(), time, series.value(0)));
            }
        }
        return new Value.VectorValue(samples);
    }

    private static Value rangeValue(Operand operand, StepGrid grid) {
        List<Value.SeriesValue> result = new ArrayList<>();
        if (operand instanceof Operand.Scalar scalar) {
            double[] values = scalar.values();
            long[] timestamps = new long[values.length];
            for (int i = 0; i < values.length; i++) {
                timestamps[i] = grid.time(i);
            }
            result.add(new Value.SeriesValue(Labels.EMPTY, timestamps, values.clone()));
            return new Value.MatrixValue(result);
        }
        for (StepSeries series : ((Operand.Vector) operand).series()) {
            int count = series.count();
            if (count == 0) {
                continue;
            }
            long[] timestamps = new long[count];
            double[] values = new double[count];
            int i = 0;
            for (int step = series.nextPresent(0); step >= 0; step = series.nextPresent(step + 1)) {
                timestamps[i] = grid.time(step);
                values[i] = series.value(step);
                i++;
            }
            result.add(new Value.SeriesValue(series.labels(), timestamps, values));
        }
        result.sort(Comparator.comparing(Value.SeriesValue::labels));
        return new Value.MatrixValue(result);
    }
}
