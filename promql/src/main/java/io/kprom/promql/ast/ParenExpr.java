package io.kprom.promql.ast;

import java.util.Objects;

/** A parenthesised expression; kept in the tree so the printer reproduces the query's grouping. */
public record ParenExpr(Expr expr, PositionRange position) implements Expr {
    public ParenExpr {
        Objects.requireNonNull(expr, "expr");
        Objects.requireNonNull(position, "position");
    }

    public ParenExpr(Expr expr) {
        this(expr, PositionRange.NONE);
    }

    @Override
    public ValueType type() {
        return expr.type();
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.visitParen(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParenExpr p && p.expr.equals(expr);
    }

    @Override
    public int hashCode() {
        return expr.hashCode() * 17;
    }
}
