package io.kprom.promql.ast;

import java.util.Objects;

/**
 * A range vector selector {@code sel[5m]}. Offset and {@code @} live on the inner {@link VectorSelector}.
 * The range is left-open: samples in {@code (t - range, t]}.
 */
public record MatrixSelector(VectorSelector vectorSelector, long rangeMillis, PositionRange position) implements Expr {
    public MatrixSelector {
        Objects.requireNonNull(vectorSelector, "vectorSelector");
        Objects.requireNonNull(position, "position");
    }

    public MatrixSelector(VectorSelector vectorSelector, long rangeMillis) {
        this(vectorSelector, rangeMillis, PositionRange.NONE);
    }

    @Override
    public ValueType type() {
        return ValueType.MATRIX;
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.visitMatrixSelector(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MatrixSelector m && m.vectorSelector.equals(vectorSelector) && m.rangeMillis == rangeMillis;
    }

    @Override
    public int hashCode() {
        return vectorSelector.hashCode() * 31 + Long.hashCode(rangeMillis);
    }
}
