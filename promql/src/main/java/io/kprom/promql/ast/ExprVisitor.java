package io.kprom.promql.ast;

/** Double dispatch over the {@link Expr} variants. */
public interface ExprVisitor<R> {
    R visitNumberLiteral(NumberLiteral node);

    R visitStringLiteral(StringLiteral node);

    R visitVectorSelector(VectorSelector node);

    R visitMatrixSelector(MatrixSelector node);

    R visitSubquery(SubqueryExpr node);

    R visitCall(Call node);

    R visitAggregate(AggregateExpr node);

    R visitBinary(BinaryExpr node);

    R visitUnary(UnaryExpr node);

    R visitParen(ParenExpr node);
}
