package io.kprom.evaluator;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.Labels;
import io.kprom.promql.ast.AggregateExpr;
import io.kprom.promql.ast.BinaryExpr;
import io.kprom.promql.ast.Call;
import io.kprom.promql.ast.Expr;
import io.kprom.promql.ast.MatrixSelector;
import io.kprom.promql.ast.ParenExpr;
import io.kprom.promql.ast.SubqueryExpr;
import io.kprom.promql.ast.UnaryExpr;
import io.kprom.promql.ast.VectorSelector;
import io.kprom.promql.parser.PromqlParser;
import io.kprom.promql.rules.RuleGroupSpec;
import io.kprom.promql.rules.RuleSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The selectors of a set of rules, so the evaluator keeps only series some rule can select, and
 * the longest look-back any rule needs (range + offset + subquery range), which sizes the window.
 * Immutable and thread-safe.
 */
final class RuleSelectors {
    private final List<List<LabelMatcher>> selectors;
    private final long maxLookbackMillis;

    private RuleSelectors(List<List<LabelMatcher>> selectors, long maxLookbackMillis) {
        this.selectors = selectors;
        this.maxLookbackMillis = maxLookbackMillis;
    }

    static RuleSelectors of(List<RuleGroupSpec> groups) {
        List<List<LabelMatcher>> selectors = new ArrayList<>();
        long[] max = {0};
        for (RuleGroupSpec group : groups) {
            for (RuleSpec rule : group.rules()) {
                collect(PromqlParser.parse(rule.expr()), 0, selectors, max);
                if (rule instanceof RuleSpec.Alerting alerting) {
                    // Templates may query anything; they see what the window holds.
                    max[0] = Math.max(max[0], alerting.holdDuration().toMillis());
                }
            }
        }
        return new RuleSelectors(List.copyOf(selectors), max[0]);
    }

    private static void collect(Expr expr, long extra, List<List<LabelMatcher>> out, long[] max) {
        if (expr instanceof VectorSelector selector) {
            out.add(selector.matchers());
            max[0] = Math.max(max[0], extra + Math.max(0, selector.offsetMillis()));
        } else if (expr instanceof MatrixSelector matrix) {
            out.add(matrix.vectorSelector().matchers());
            max[0] = Math.max(max[0], extra + matrix.rangeMillis() + Math.max(0, matrix.vectorSelector().offsetMillis()));
        } else if (expr instanceof SubqueryExpr subquery) {
            collect(subquery.expr(), extra + subquery.rangeMillis() + Math.max(0, subquery.offsetMillis()), out, max);
        } else if (expr instanceof Call call) {
            for (Expr arg : call.args()) {
                collect(arg, extra, out, max);
            }
        } else if (expr instanceof AggregateExpr aggregate) {
            collect(aggregate.expr(), extra, out, max);
            if (aggregate.param() != null) {
                collect(aggregate.param(), extra, out, max);
            }
        } else if (expr instanceof BinaryExpr binary) {
            collect(binary.lhs(), extra, out, max);
            collect(binary.rhs(), extra, out, max);
        } else if (expr instanceof UnaryExpr unary) {
            collect(unary.expr(), extra, out, max);
        } else if (expr instanceof ParenExpr paren) {
            collect(paren.expr(), extra, out, max);
        }
    }

    /** Whether any rule selector matches the series. */
    boolean matches(Labels labels) {
        for (List<LabelMatcher> selector : selectors) {
            boolean all = true;
            for (LabelMatcher matcher : selector) {
                if (!matcher.matches(labels)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /** Longest range, offset or subquery any rule reaches back, in milliseconds. */
    long maxLookbackMillis() {
        return maxLookbackMillis;
    }
}
