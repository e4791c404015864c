package io.kprom.promql.ast;

/**
 * A node of the immutable PromQL syntax tree produced by {@code io.kprom.promql.parser.PromqlParser}.
 * The tree holds syntax only; evaluation state lives in the engine. All implementations are records whose
 * {@code equals}/{@code hashCode} ignore {@link #position()}, so a parsed tree equals a tree built in code.
 * Immutable and thread-safe. Since Java 17 has no pattern-matching switch, use {@link #accept(ExprVisitor)}
 * or {@code instanceof} to dispatch.
 */
public sealed interface Expr
        permits NumberLiteral, StringLiteral, VectorSelector, MatrixSelector, SubqueryExpr, Call, AggregateExpr,
        BinaryExpr, UnaryExpr, ParenExpr {

    /** The type this expression evaluates to. */
    ValueType type();

    /** Where in the query text this node came from ({@link PositionRange#NONE} when built in code). */
    PositionRange position();

    <R> R accept(ExprVisitor<R> visitor);
}
