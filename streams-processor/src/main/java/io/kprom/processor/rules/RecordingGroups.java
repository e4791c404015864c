package io.kprom.processor.rules;

import io.kprom.common.labels.LabelMatcher;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns loaded rule groups into what the processor runs: their recording rules (alerting rules
 * are the alert evaluator's), the label matchers of every selector (which series to forward to
 * the group) and the window (largest range + offset among the expressions, plus the lookback delta).
 */
public final class RecordingGroups {
    private RecordingGroups() {
    }

    /**
     * @param defaultInterval the global {@code evaluation_interval}
     * @param defaultQueryOffset used when a group sets no {@code query_offset} (see the README for kprom's default)
     */
    public static List<RecordingGroup> fromSpecs(List<RuleGroupSpec> specs, Duration defaultInterval,
            Duration defaultQueryOffset, long lookbackDeltaMillis) {
        List<RecordingGroup> groups = new ArrayList<>();
        for (RuleGroupSpec spec : specs) {
            List<RecordingRule> rules = new ArrayList<>();
            List<List<LabelMatcher>> selectors = new ArrayList<>();
            long[] maxRange = {0};
            for (RuleSpec rule : spec.rules()) {
                if (rule instanceof RuleSpec.Recording recording) {
                    rules.add(new RecordingRule(recording.name(), recording.expr(), recording.labels()));
                    walk(PromqlParser.parse(recording.expr()), 0, selectors, maxRange);
                }
            }
            if (rules.isEmpty()) {
                continue;
            }
            groups.add(new RecordingGroup(spec.key(), spec.intervalOr(defaultInterval).toMillis(),
                    spec.queryOffsetOr(defaultQueryOffset).toMillis(), spec.limit(), rules, selectors,
                    maxRange[0] + lookbackDeltaMillis));
        }
        return groups;
    }

    /** Collects selectors and the largest look-back of an expression; {@code outer} is the enclosing subquery's reach. */
    static void walk(Expr expr, long outer, List<List<LabelMatcher>> selectors, long[] maxRange) {
        if (expr instanceof VectorSelector selector) {
            selectors.add(selector.matchers());
            maxRange[0] = Math.max(maxRange[0], outer + Math.max(0, selector.offsetMillis()));
        } else if (expr instanceof MatrixSelector matrix) {
            selectors.add(matrix.vectorSelector().matchers());
            maxRange[0] = Math.max(maxRange[0], outer + matrix.rangeMillis() + Math.max(0, matrix.vectorSelector().offsetMillis()));
        } else if (expr instanceof SubqueryExpr subquery) {
            walk(subquery.expr(), outer + subquery.rangeMillis() + Math.max(0, subquery.offsetMillis()), selectors, maxRange);
        } else if (expr instanceof Call call) {
            call.args().forEach(arg -> walk(arg, outer, selectors, maxRange));
        } else if (expr instanceof AggregateExpr aggregate) {
            walk(aggregate.expr(), outer, selectors, maxRange);
            if (aggregate.param() != null) {
                walk(aggregate.param(), outer, selectors, maxRange);
            }
        } else if (expr instanceof BinaryExpr binary) {
            walk(binary.lhs(), outer, selectors, maxRange);
            walk(binary.rhs(), outer, selectors, maxRange);
        } else if (expr instanceof UnaryExpr unary) {
            walk(unary.expr(), outer, selectors, maxRange);
        } else if (expr instanceof ParenExpr paren) {
            walk(paren.expr(), outer, selectors, maxRange);
        }
    }
}
