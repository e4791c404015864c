package io.kprom.promql.engine;

import io.kprom.common.labels.Labels;
import io.kprom.promql.ast.AggregateExpr;
import io.kprom.promql.ast.AtModifier;
import io.kprom.promql.ast.BinaryExpr;
import io.kprom.promql.ast.Call;
import io.kprom.promql.ast.Expr;
import io.kprom.promql.ast.ExprVisitor;
import io.kprom.promql.ast.MatrixSelector;
import io.kprom.promql.ast.NumberLiteral;
import io.kprom.promql.ast.ParenExpr;
import io.kprom.promql.ast.StringLiteral;
import io.kprom.promql.ast.SubqueryExpr;
import io.kprom.promql.ast.UnaryExpr;
import io.kprom.promql.ast.UnaryOp;
import io.kprom.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Evaluates an expression tree on one {@link StepGrid}: every operator consumes and produces whole
 * step vectors ({@link StepSeries}), so raw data is read once per query and labels are handled once
 * per series. Subqueries evaluate their body with a child evaluator on their own grid.
 */
final class Evaluator implements ExprVisitor<Operand> {
    private final EvaluationContext context;
    private final StepGrid grid;
    private final SeriesReader reader;

    Evaluator(EvaluationContext context, StepGrid grid) {
        this.context = context;
        this.grid = grid;
        this.reader = new SeriesReader(context);
    }

    EvaluationContext context() {
        return context;
    }

    StepGrid grid() {
        return grid;
    }

    SeriesReader reader() {
        return reader;
    }

    Operand evaluate(Expr expr) {
        context.checkAliveNow();
        return expr.accept(this);
    }

    /** Evaluates a scalar-typed expression to one value per step. */
    double[] scalar(Expr expr) {
        Operand operand = evaluate(expr);
        if (operand instanceof Operand.Scalar scalar) {
            return scalar.values();
        }
        throw new QueryException(QueryException.ErrorType.EXECUTION,
                "expected scalar, got " + describe(operand));
    }

    /** Evaluates an instant-vector-typed expression. */
    List<StepSeries> vector(Expr expr) {
        Operand operand = evaluate(expr);
        if (operand instanceof Operand.Vector vector) {
            return vector.series();
        }
        throw new QueryException(QueryException.ErrorType.EXECUTION,
                "expected instant vector, got " + describe(operand));
    }

    String string(Expr expr) {
        Operand operand = evaluate(expr);
        if (operand instanceof Operand.Text text) {
            return text.value();
        }
        throw new QueryException(QueryException.ErrorType.EXECUTION, "expected string, got " + describe(operand));
    }

    static String describe(Operand operand) {
        if (operand instanceof Operand.Scalar) {
            return "scalar";
        }
        if (operand instanceof Operand.Text) {
            return "string";
        }
        if (operand instanceof Operand.Vector) {
            return "instant vector";
        }
        return "range vector";
    }

    /** Per-step end of the window a selector or subquery reads: the step time (or @ time) minus offset. */
    long[] windowEnds(AtModifier at, long offsetMillis) {
        long[] ends = new long[grid.steps()];
        if (at != null) {
            Arrays.fill(ends, at.resolve(context.queryStartMillis(), context.queryEndMillis()) - offsetMillis);
        } else {
            for (int i = 0; i < ends.length; i++) {
                ends[i] = grid.time(i) - offsetMillis;
            }
        }
        return ends;
    }

    @Override
    public Operand visitNumberLiteral(NumberLiteral node) {
        double[] values = new double[grid.steps()];
        Arrays.fill(values, node.value());
        return new Operand.Scalar(values);
    }

    @Override
    public Operand visitStringLiteral(StringLiteral node) {
        return new Operand.Text(node.value());
    }

    @Override
    public Operand visitVectorSelector(VectorSelector node) {
        return new Operand.Vector(reader.instantVector(node, windowEnds(node.at(), node.offsetMillis()), false));
    }

    @Override
    public Operand visitMatrixSelector(MatrixSelector node) {
        VectorSelector selector = node.vectorSelector();
        long[] ends = windowEnds(selector.at(), selector.offsetMillis());
        return new Operand.Matrix(collectWindow(rangeSource(node), ends[0], node.rangeMillis()));
    }

    @Override
    public Operand visitSubquery(SubqueryExpr node) {
        long[] ends = windowEnds(node.at(), node.offsetMillis());
        return new Operand.Matrix(collectWindow(rangeSource(node), ends[0], node.rangeMillis()));
    }

    /** Raw samples of every series in the window {@code (end - range, end]}, for a matrix-typed result. */
    private List<Operand.RawSeries> collectWindow(RangeSource source, long end, long range) {
        List<Operand.RawSeries> result = new ArrayList<>();
        source.forEachSeries((labels, timestamps, values, length) -> {
            int from = 0;
            while (from < length && timestamps[from] <= end - range) {
                from++;
            }
            int to = from;
            while (to < length && timestamps[to] <= end) {
                to++;
            }
            if (to > from) {
                context.addSamples(to - from);
                result.add(new Operand.RawSeries(labels, Arrays.copyOfRange(timestamps, from, to),
                        Arrays.copyOfRange(values, from, to)));
            }
        });
        return result;
    }

    /** The samples behind a range-vector expression (matrix selector or subquery), with its windows. */
    RangeSource rangeSource(Expr expr) {
        Expr unwrapped = unwrapParens(expr);
        if (unwrapped instanceof MatrixSelector matrix) {
            VectorSelector selector = matrix.vectorSelector();
            long[] ends = windowEnds(selector.at(), selector.offsetMillis());
            return reader.rangeSource(matrix, ends);
        }
        if (unwrapped instanceof SubqueryExpr subquery) {
            return subquerySource(subquery);
        }
        throw new QueryException(QueryException.ErrorType.EXECUTION,
                "expected range vector, got " + expr.type().documentedName());
    }

    private RangeSource subquerySource(SubqueryExpr subquery) {
        long[] ends = windowEnds(subquery.at(), subquery.offsetMillis());
        long step = subquery.stepMillis() > 0 ? subquery.stepMillis() : context.defaultSubqueryStepMillis();
        long firstWindowStart = ends[0] - subquery.rangeMillis();
        // The first subquery step is the first multiple of its step after the earliest window start.
        long innerStart = Math.floorDiv(firstWindowStart, step) * step;
        if (innerStart <= firstWindowStart) {
            innerStart += step;
        }
        long innerEnd = ends[ends.length - 1];
        List<StepSeries> inner;
        StepGrid innerGrid;
        if (innerStart > innerEnd) {
            inner = List.of();
            innerGrid = null;
        } else {
            innerGrid = new StepGrid(innerStart, innerEnd, step);
            inner = new Evaluator(context, innerGrid).vector(subquery.expr());
        }
        StepGrid grid = innerGrid;
        return new RangeSource(ends, subquery.rangeMillis(), subquery.expr(), consumer -> {
            long[] timestamps = new long[grid == null ? 0 : grid.steps()];
            double[] values = new double[timestamps.length];
            for (StepSeries series : inner) {
                context.checkAlive();
                int length = 0;
                for (int s = series.nextPresent(0); s >= 0; s = series.nextPresent(s + 1)) {
                    timestamps[length] = grid.time(s);
                    values[length] = series.value(s);
                    length++;
                }
                consumer.accept(series.labels(), timestamps, values, length);
            }
        });
    }

    static Expr unwrapParens(Expr expr) {
        Expr current = expr;
        while (current instanceof ParenExpr paren) {
            current = paren.expr();
        }
        return current;
    }

    @Override
    public Operand visitCall(Call node) {
        return new FunctionCalls(this).evaluate(node);
    }

    @Override
    public Operand visitAggregate(AggregateExpr node) {
        return new Aggregations(this).evaluate(node);
    }

    @Override
    public Operand visitBinary(BinaryExpr node) {
        return new BinaryOperations(this).evaluate(node);
    }

    @Override
    public Operand visitUnary(UnaryExpr node) {
        Operand operand = evaluate(node.expr());
        if (node.op() == UnaryOp.PLUS) {
            return operand;
        }
        if (operand instanceof Operand.Scalar scalar) {
            double[] values = scalar.values();
            for (int i = 0; i < values.length; i++) {
                values[i] = -values[i];
            }
            return scalar;
        }
        List<StepSeries> series = ((Operand.Vector) operand).series();
        for (StepSeries s : series) {
            for (int step = s.nextPresent(0); step >= 0; step = s.nextPresent(step + 1)) {
                s.set(step, -s.value(step));
            }
            s.labels(LabelOps.dropMetricName(s.labels()));
        }
        return new Operand.Vector(Vectors.mergeSameLabels(series));
    }

    @Override
    public Operand visitParen(ParenExpr node) {
        return evaluate(node.expr());
    }

    /** A fresh output series for {@code labels} on this grid. */
    StepSeries newSeries(Labels labels) {
        return new StepSeries(labels, grid.steps());
    }
}
