package io.kprom.promql.ast;

import java.util.List;
import java.util.Objects;

/** A function call; the parser has checked arity and argument types against {@link FunctionDef}. */
public record Call(FunctionDef function, List<Expr> args, PositionRange position) implements Expr {
    public Call {
        Objects.requireNonNull(function, "function");
        args = List.copyOf(args);
        Objects.requireNonNull(position, "position");
    }

    public Call(FunctionDef function, List<Expr> args) {
        this(function, args, PositionRange.NONE);
    }

    @Override
    public ValueType type() {
        return function.returnType();
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.visitCall(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Call c && c.function.equals(function) && c.args.equals(args);
    }

    @Override
    public int hashCode() {
        return function.hashCode() * 31 + args.hashCode();
    }
}
