package io.kprom.promql.parser;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.promql.ast.AggregateExpr;
import io.kprom.promql.ast.AtModifier;
import io.kprom.promql.ast.BinaryExpr;
import io.kprom.promql.ast.Call;
import io.kprom.promql.ast.Expr;
import io.kprom.promql.ast.ExprVisitor;
import io.kprom.promql.ast.MatrixSelector;
import io.kprom.promql.ast.NumberLiteral;
import io.kprom.promql.ast.ParenExpr;
import io.kprom.promql.ast.StringLiteral;
import io.kprom.promql.ast.SubqueryExpr;
import io.kprom.promql.ast.UnaryExpr;
import io.kprom.promql.ast.VectorMatching;
import io.kprom.promql.ast.VectorSelector;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Prints an AST back to PromQL, in two styles of Prometheus:
 * <ul>
 *   <li>{@link #toString(Expr)}: the compact single-line form of Prometheus's {@code String()} (label matchers
 *       sorted, {@code by}/{@code without} before the body, durations normalised, e.g. {@code 90m} as {@code 1h30m});</li>
 *   <li>{@link #format(Expr)}: the multi-line form of {@code /api/v1/format_query} (Prometheus's prettifier: a node
 *       whose single-line form exceeds 100 characters is split, children indented by two spaces per level).</li>
 * </ul>
 * Parsing either output gives a tree equal to the input (grouping comes from {@link ParenExpr}s in the tree, as in
 * Prometheus, so a hand-built tree must contain the parentheses its precedence needs). Stateless and thread-safe.
 */
public final class PromqlPrinter {
    private static final int MAX_CHARACTERS_PER_LINE = 100;
    private static final String INDENT = "  ";
    /** Words that the lexer would not read as a label name in a grouping clause. */
    private static final Set<String> UNSAFE_GROUPING_LABELS = Set.of("without", "inf", "nan");
    /** Words that cannot stand as a metric name outside braces. */
    private static final Set<String> UNSAFE_METRIC_NAMES = Set.of("bool", "on", "ignoring", "group_left",
            "group_right", "atan2", "inf", "nan");

    private PromqlPrinter() {
    }

    /** The compact single-line form. */
    public static String toString(Expr expr) {
        StringBuilder b = new StringBuilder();
        expr.accept(new CompactWriter(b));
        return b.toString();
    }

    /** The form of Prometheus's {@code format_query}. */
    public static String format(Expr expr) {
        return pretty(expr, 0);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Pretty printing

    private static String pretty(Expr e, int level) {
        String compact = toString(e);
        boolean split = utf8Length(compact) > MAX_CHARACTERS_PER_LINE;
        String indent = INDENT.repeat(level);
        if (e instanceof AggregateExpr a) {
            if (!split) {
                return indent + compact;
            }
            StringBuilder b = new StringBuilder(indent);
            appendAggregateOp(b, a);
            b.append("(\n");
            if (a.op().hasParam()) {
                b.append(pretty(a.param(), level + 1)).append(",\n");
            }
            return b.append(pretty(a.expr(), level + 1)).append('\n').append(indent).append(')').toString();
        }
        if (e instanceof BinaryExpr bin) {
            if (!split) {
                return indent + compact;
            }
            StringBuilder b = new StringBuilder();
            b.append(pretty(bin.lhs(), level + 1)).append('\n').append(indent).append(bin.op().symbol());
            if (bin.returnBool()) {
                b.append(" bool");
            }
            appendMatching(b, bin.matching());
            return b.append('\n').append(pretty(bin.rhs(), level + 1)).toString();
        }
        if (e instanceof Call call) {
            if (!split) {
                return indent + compact;
            }
            StringBuilder b = new StringBuilder(indent).append(call.function().name()).append("(\n");
            List<Expr> args = call.args();
            for (int i = 0; i < args.size(); i++) {
                b.append(pretty(args.get(i), level + 1));
                b.append(i < args.size() - 1 ? ",\n" : "\n");
            }
            return b.append(indent).append(')').toString();
        }
        if (e instanceof ParenExpr paren) {
            if (!split) {
                return indent + compact;
            }
            return indent + "(\n" + pretty(paren.expr(), level + 1) + "\n" + indent + ")";
        }
        if (e instanceof SubqueryExpr subquery) {
            if (!split) {
                return compact; // sic: Prometheus does not indent an unsplit subquery
            }
            StringBuilder b = new StringBuilder(pretty(subquery.expr(), level));
            appendSubquerySuffix(b, subquery);
            return b.toString();
        }
        if (e instanceof UnaryExpr unary) {
            return indent + unary.op().symbol() + pretty(unary.expr(), level).strip();
        }
        return indent + compact;
    }

    private static int utf8Length(String s) {
        int ascii = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
            ascii++;
        }
        return ascii;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Compact printing

    private static final class CompactWriter implements ExprVisitor<Void> {
        private final StringBuilder b;

        CompactWriter(StringBuilder b) {
            this.b = b;
        }

        @Override
        public Void visitNumberLiteral(NumberLiteral node) {
            b.append(formatNumber(node.value()));
            return null;
        }

        @Override
        public Void visitStringLiteral(StringLiteral node) {
            b.append(GoStrings.quote(node.value()));
            return null;
        }

        @Override
        public Void visitVectorSelector(VectorSelector node) {
            appendSelector(b, node);
            appendAt(b, node.at());
            appendOffset(b, node.offsetMillis());
            return null;
        }

        @Override
        public Void visitMatrixSelector(MatrixSelector node) {
            VectorSelector selector = node.vectorSelector();
            appendSelector(b, selector);
            b.append('[').append(Durations.format(node.rangeMillis())).append(']');
            appendAt(b, selector.at());
            appendOffset(b, selector.offsetMillis());
            return null;
        }

        @Override
        public Void visitSubquery(SubqueryExpr node) {
            node.expr().accept(this);
            appendSubquerySuffix(b, node);
            return null;
        }

        @Override
        public Void visitCall(Call node) {
            b.append(node.function().name()).append('(');
            appendList(node.args());
            b.append(')');
            return null;
        }

        @Override
        public Void visitAggregate(AggregateExpr node) {
            appendAggregateOp(b, node);
            b.append('(');
            if (node.op().hasParam() && node.param() != null) {
                node.param().accept(this);
                b.append(", ");
            }
            node.expr().accept(this);
            b.append(')');
            return null;
        }

        @Override
        public Void visitBinary(BinaryExpr node) {
            node.lhs().accept(this);
            b.append(' ').append(node.op().symbol());
            if (node.returnBool()) {
                b.append(" bool");
            }
            appendMatching(b, node.matching());
            b.append(' ');
            node.rhs().accept(this);
            return null;
        }

        @Override
        public Void visitUnary(UnaryExpr node) {
            b.append(node.op().symbol());
            node.expr().accept(this);
            return null;
        }

        @Override
        public Void visitParen(ParenExpr node) {
            b.append('(');
            node.expr().accept(this);
            b.append(')');
            return null;
        }

        private void appendList(List<Expr> exprs) {
            for (int i = 0; i < exprs.size(); i++) {
                if (i > 0) {
                    b.append(", ");
                }
                exprs.get(i).accept(this);
            }
        }
    }

    private static void appendAggregateOp(StringBuilder b, AggregateExpr node) {
        b.append(node.op().keyword());
        if (node.without()) {
            b.append(" without (");
            appendLabels(b, node.grouping());
            b.append(") ");
        } else if (!node.grouping().isEmpty()) {
            b.append(" by (");
            appendLabels(b, node.grouping());
            b.append(") ");
        }
    }

    private static void appendMatching(StringBuilder b, VectorMatching matching) {
        if (matching == null) {
            return;
        }
        boolean grouped = matching.cardinality() == VectorMatching.Cardinality.MANY_TO_ONE
                || matching.cardinality() == VectorMatching.Cardinality.ONE_TO_MANY;
        if (!matching.matchingLabels().isEmpty() || matching.on() || grouped) {
            b.append(matching.on() ? " on (" : " ignoring (");
            appendLabels(b, matching.matchingLabels());
            b.append(')');
        }
        if (grouped) {
            b.append(matching.cardinality() == VectorMatching.Cardinality.MANY_TO_ONE ? " group_left (" : " group_right (");
            appendLabels(b, matching.include());
            b.append(')');
        }
    }

    private static void appendSubquerySuffix(StringBuilder b, SubqueryExpr node) {
        b.append('[').append(Durations.format(node.rangeMillis())).append(':');
        if (node.stepMillis() != 0) {
            b.append(Durations.format(node.stepMillis()));
        }
        b.append(']');
        appendAt(b, node.at());
        appendOffset(b, node.offsetMillis());
    }

    private static void appendSelector(StringBuilder b, VectorSelector node) {
        String name = node.name();
        boolean printName = name != null && !name.isEmpty() && isMetricIdentifier(name);
        List<String> matchers = new ArrayList<>(node.matchers().size());
        for (LabelMatcher m : node.matchers()) {
            if (printName && m.name().equals("__name__") && m.type() == LabelMatcher.Type.EQUAL
                    && m.value().equals(name)) {
                continue;
            }
            matchers.add(formatMatcher(m));
        }
        if (printName) {
            b.append(name);
        }
        if (!matchers.isEmpty() || !printName) {
            Collections.sort(matchers);
            b.append('{').append(String.join(",", matchers)).append('}');
        }
    }

    /** A matcher as Prometheus prints it: the name quoted when it is not a legacy label name. */
    public static String formatMatcher(LabelMatcher matcher) {
        String name = isLegacyLabelName(matcher.name()) ? matcher.name() : GoStrings.quote(matcher.name());
        return name + matcher.type().operator() + GoStrings.quote(matcher.value());
    }

    private static void appendAt(StringBuilder b, AtModifier at) {
        if (at == null) {
            return;
        }
        switch (at.kind()) {
            case START -> b.append(" @ start()");
            case END -> b.append(" @ end()");
            case TIMESTAMP -> b.append(" @ ").append(BigDecimal.valueOf(at.timestampMillis(), 3).toPlainString());
        }
    }

    private static void appendOffset(StringBuilder b, long offsetMillis) {
        if (offsetMillis > 0) {
            b.append(" offset ").append(Durations.format(offsetMillis));
        } else if (offsetMillis < 0) {
            b.append(" offset -").append(Durations.format(-offsetMillis));
        }
    }

    private static void appendLabels(StringBuilder b, List<String> labels) {
        for (int i = 0; i < labels.size(); i++) {
            if (i > 0) {
                b.append(", ");
            }
            String label = labels.get(i);
            boolean quote = !isLegacyLabelName(label) || UNSAFE_GROUPING_LABELS.contains(label.toLowerCase(Locale.ROOT));
            b.append(quote ? GoStrings.quote(label) : label);
        }
    }

    /** Like Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: shortest round-trip digits, no exponent. */
    static String formatNumber(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return Double.doubleToRawLongBits(v) < 0 ? "-0" : "0";
        }
        String plain = new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
        return plain;
    }

    static boolean isLegacyLabelName(String s) {
        if (s.isEmpty() || Lexer.isDigit(s.charAt(0))) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Lexer.isAlphaNumeric(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** A name the lexer reads back as a metric identifier outside braces. */
    static boolean isMetricIdentifier(String s) {
        if (s.isEmpty() || Lexer.isDigit(s.charAt(0))) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Lexer.isAlphaNumeric(c) && c != ':') {
                return false;
            }
        }
        return !UNSAFE_METRIC_NAMES.contains(s.toLowerCase(Locale.ROOT));
    }
}
