package io.kprom.promql.ast;

import java.util.Objects;

/**
 * A binary operation.
 *
 * @param matching   how series of both sides are matched; non-null exactly when both sides are instant vectors
 *                   (set operators then have {@link VectorMatching.Cardinality#MANY_TO_MANY})
 * @param returnBool the {@code bool} modifier of a comparison
 */
public record BinaryExpr(BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool,
        PositionRange position) implements Expr {
    public BinaryExpr {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(lhs, "lhs");
        Objects.requireNonNull(rhs, "rhs");
        Objects.requireNonNull(position, "position");
    }

    public BinaryExpr(BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool) {
        this(op, lhs, rhs, matching, returnBool, PositionRange.NONE);
    }

    /** Scalar when both operands are scalars, otherwise instant vector. */
    @Override
    public ValueType type() {
        return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR ? ValueType.SCALAR : ValueType.VECTOR;
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.visitBinary(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BinaryExpr b && b.op == op && b.lhs.equals(lhs) && b.rhs.equals(rhs)
                && Objects.equals(b.matching, matching) && b.returnBool == returnBool;
    }

    @Override
    public int hashCode() {
        return Objects.hash(op, lhs, rhs, matching, returnBool);
    }
}
