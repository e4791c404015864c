/**
 * PromQL text to and from the {@code io.kprom.promql.ast} tree.
 * <ul>
 *   <li>{@link io.kprom.promql.parser.PromqlParser#parse(String)}: a query to an {@code Expr}; errors are
 *       {@link io.kprom.promql.parser.ParseException}s worded like Prometheus's
 *       ({@code 1:14: parse error: unexpected <by> in aggregation}).</li>
 *   <li>{@link io.kprom.promql.parser.PromqlParser#parseMetricSelector(String)}: the HTTP API's {@code match[]}.</li>
 *   <li>{@link io.kprom.promql.parser.PromqlParser#parseDuration(String)}: API durations ({@code 5m} or seconds).</li>
 *   <li>{@link io.kprom.promql.parser.PromqlPrinter}: compact {@code toString} and {@code format} (format_query).</li>
 * </ul>
 * The lexer and the precedence-climbing parser are hand-written; the grammar, precedence and messages follow
 * Prometheus 3.x's parser.
 */
package io.kprom.promql.parser;
