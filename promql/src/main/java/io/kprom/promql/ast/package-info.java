/**
 * The immutable PromQL syntax tree: {@link io.kprom.promql.ast.Expr} (a sealed interface) and its record variants,
 * operators ({@link io.kprom.promql.ast.BinaryOp}, {@link io.kprom.promql.ast.AggregateOp}), vector matching and
 * the function table ({@link io.kprom.promql.ast.Functions}). Syntax only: evaluation state lives in the engine.
 * Record equality ignores source positions. Produced by {@code io.kprom.promql.parser.PromqlParser}, printed by
 * {@code io.kprom.promql.parser.PromqlPrinter}.
 */
package io.kprom.promql.ast;
