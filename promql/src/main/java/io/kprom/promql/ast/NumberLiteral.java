package io.kprom.promql.ast;

import java.util.Objects;

/** A float literal ({@code 1}, {@code 0x1f}, {@code 1e-3}, {@code Inf}, {@code NaN}, or a duration like {@code 5m} = 300). */
public record NumberLiteral(double value, PositionRange position) implements Expr {
    public NumberLiteral {
        Objects.requireNonNull(position, "position");
    }

    public NumberLiteral(double value) {
        this(value, PositionRange.NONE);
    }

    @Override
    public ValueType type() {
        return ValueType.SCALAR;
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.visitNumberLiteral(this);
    }

    /** Bitwise float equality (NaN equals NaN, 0 differs from -0); ignores position. */
    @Override
    public boolean equals(Object o) {
        return o instanceof NumberLiteral n && Double.compare(n.value, value) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(value);
    }
}
