package io.kprom.promql.ast;

import java.util.Objects;

/** A string literal, already unescaped. */
public record StringLiteral(String value, PositionRange position) implements Expr {
    public StringLiteral {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(position, "position");
    }

    public StringLiteral(String value) {
        this(value, PositionRange.NONE);
    }

    @Override
    public ValueType type() {
        return ValueType.STRING;
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.visitStringLiteral(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StringLiteral s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
