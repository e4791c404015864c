package io.kprom.promql.ast;

import java.util.Objects;

/**
 * A subquery {@code expr[range:step] offset o @ t}.
 *
 * @param stepMillis 0 when the step was omitted ({@code [5m:]}): the engine then uses the default evaluation interval
 * @param at         the {@code @} modifier, or null
 */
public record SubqueryExpr(Expr expr, long rangeMillis, long stepMillis, long offsetMillis, AtModifier at,
        PositionRange position) implements Expr {
    public SubqueryExpr {
        Objects.requireNonNull(expr, "expr");
        Objects.requireNonNull(position, "position");
    }

    public SubqueryExpr(Expr expr, long rangeMillis, long stepMillis) {
        this(expr, rangeMillis, stepMillis, 0, null, PositionRange.NONE);
    }

    public SubqueryExpr withOffsetMillis(long newOffsetMillis) {
        return new SubqueryExpr(expr, rangeMillis, stepMillis, newOffsetMillis, at, position);
    }

    public SubqueryExpr withAt(AtModifier newAt) {
        return new SubqueryExpr(expr, rangeMillis, stepMillis, offsetMillis, newAt, position);
    }

    public SubqueryExpr withPosition(PositionRange newPosition) {
        return new SubqueryExpr(expr, rangeMillis, stepMillis, offsetMillis, at, newPosition);
    }

    @Override
    public ValueType type() {
        return ValueType.MATRIX;
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.visitSubquery(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubqueryExpr s && s.expr.equals(expr) && s.rangeMillis == rangeMillis
                && s.stepMillis == stepMillis && s.offsetMillis == offsetMillis && Objects.equals(s.at, at);
    }

    @Override
    public int hashCode() {
        return Objects.hash(expr, rangeMillis, stepMillis, offsetMillis, at);
    }
}
