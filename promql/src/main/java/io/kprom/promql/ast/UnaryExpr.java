package io.kprom.promql.ast;

import java.util.Objects;

/**
 * A unary {@code -expr} or {@code +expr}. The parser folds a sign applied directly to a number literal into the
 * literal ({@code -1} is a {@link NumberLiteral}), as Prometheus does.
 */
public record UnaryExpr(UnaryOp op, Expr expr, PositionRange position) implements Expr {
    public UnaryExpr {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(expr, "expr");
        Objects.requireNonNull(position, "position");
    }

    public UnaryExpr(UnaryOp op, Expr expr) {
        this(op, expr, PositionRange.NONE);
    }

    @Override
    public ValueType type() {
        return expr.type();
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.visitUnary(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnaryExpr u && u.op == op && u.expr.equals(expr);
    }

    @Override
    public int hashCode() {
        return op.hashCode() * 31 + expr.hashCode();
    }
}
