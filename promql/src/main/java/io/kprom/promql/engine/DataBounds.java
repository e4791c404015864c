package io.kprom.promql.engine;

import io.kprom.promql.ast.AggregateExpr;
import io.kprom.promql.ast.AtModifier;
import io.kprom.promql.ast.BinaryExpr;
import io.kprom.promql.ast.Call;
import io.kprom.promql.ast.Expr;
import io.kprom.promql.ast.MatrixSelector;
import io.kprom.promql.ast.ParenExpr;
import io.kprom.promql.ast.SubqueryExpr;
import io.kprom.promql.ast.UnaryExpr;
import io.kprom.promql.ast.VectorSelector;

/** The time range of raw data a query can touch, to bound its {@code Querier} (Prometheus's FindMinMaxTime). */
final class DataBounds {
    private final long queryStart;
    private final long queryEnd;
    private final long lookback;
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;

    private DataBounds(long queryStart, long queryEnd, long lookback) {
        this.queryStart = queryStart;
        this.queryEnd = queryEnd;
        this.lookback = lookback;
    }

    /** {min, max} inclusive; {start, end} when the query reads no data. */
    static long[] of(Expr expr, long start, long end, long lookback) {
        DataBounds bounds = new DataBounds(start, end, lookback);
        bounds.visit(expr, start, end);
        if (bounds.min > bounds.max) {
            return new long[] {start, end};
        }
        return new long[] {bounds.min, bounds.max};
    }

    private void visit(Expr expr, long start, long end) {
        if (expr instanceof VectorSelector selector) {
            selector(selector.at(), selector.offsetMillis(), lookback, start, end);
        } else if (expr instanceof MatrixSelector matrix) {
            VectorSelector selector = matrix.vectorSelector();
            selector(selector.at(), selector.offsetMillis(), matrix.rangeMillis(), start, end);
        } else if (expr instanceof SubqueryExpr subquery) {
            long from = resolve(subquery.at(), start) - subquery.offsetMillis() - subquery.rangeMillis();
            long to = resolve(subquery.at(), end) - subquery.offsetMillis();
            visit(subquery.expr(), from, to);
        } else if (expr instanceof Call call) {
            call.args().forEach(arg -> visit(arg, start, end));
            if (call.function().name().equals("info")) {
                selector(null, 0, lookback, start, end);
            }
        } else if (expr instanceof AggregateExpr aggregate) {
            if (aggregate.param() != null) {
                visit(aggregate.param(), start, end);
            }
            visit(aggregate.expr(), start, end);
        } else if (expr instanceof BinaryExpr binary) {
            visit(binary.lhs(), start, end);
            visit(binary.rhs(), start, end);
        } else if (expr instanceof UnaryExpr unary) {
            visit(unary.expr(), start, end);
        } else if (expr instanceof ParenExpr paren) {
            visit(paren.expr(), start, end);
        }
    }

    private void selector(AtModifier at, long offset, long range, long start, long end) {
        min = Math.min(min, resolve(at, start) - offset - range);
        max = Math.max(max, resolve(at, end) - offset);
    }

    private long resolve(AtModifier at, long time) {
        return at == null ? time : at.resolve(queryStart, queryEnd);
    }
}
