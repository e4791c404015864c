package io.kprom.promql.ast;

import java.util.List;
import java.util.Objects;

/**
 * An aggregation {@code op by|without (grouping) ([param,] expr)}.
 *
 * @param param    the parameter of topk/bottomk/quantile/count_values/limitk/limit_ratio, or null
 * @param grouping label names of {@code by}/{@code without}, in written order (empty for neither)
 * @param without  true for {@code without}, false for {@code by} or no grouping
 */
public record AggregateExpr(AggregateOp op, Expr expr, Expr param, List<String> grouping, boolean without,
        PositionRange position) implements Expr {
    public AggregateExpr {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(expr, "expr");
        grouping = List.copyOf(grouping);
        Objects.requireNonNull(position, "position");
    }

    public AggregateExpr(AggregateOp op, Expr expr, Expr param, List<String> grouping, boolean without) {
        this(op, expr, param, grouping, without, PositionRange.NONE);
    }

    @Override
    public ValueType type() {
        return ValueType.VECTOR;
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.visitAggregate(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AggregateExpr a && a.op == op && a.expr.equals(expr) && Objects.equals(a.param, param)
                && a.grouping.equals(grouping) && a.without == without;
    }

    @Override
    public int hashCode() {
        return Objects.hash(op, expr, param, grouping, without);
    }
}
