package io.kprom.promql.parser;

import io.kprom.promql.ast.AggregateExpr;
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
import io.kprom.promql.ast.UnaryOp;
import io.kprom.promql.ast.VectorMatching;
import io.kprom.promql.ast.VectorSelector;
import java.util.stream.Collectors;

/**
 * Test helper: renders a tree as a fully bracketed S-expression so tables can state the exact structure
 * (precedence, associativity, modifiers) compactly, e.g. {@code (+ 1 (* 2 3))}.
 */
final class Sexpr implements ExprVisitor<String> {
    static String of(Expr expr) {
        return expr.accept(new Sexpr());
    }

    @Override
    public String visitNumberLiteral(NumberLiteral node) {
        return PromqlPrinter.formatNumber(node.value());
    }

    @Override
    public String visitStringLiteral(StringLiteral node) {
        return GoStrings.quote(node.value());
    }

    @Override
    public String visitVectorSelector(VectorSelector node) {
        String matchers = node.matchers().stream().map(PromqlPrinter::formatMatcher).collect(Collectors.joining(","));
        StringBuilder b = new StringBuilder(node.name() == null ? "" : node.name()).append('{').append(matchers)
                .append('}');
        if (node.offsetMillis() != 0) {
            b.append(" offset=").append(node.offsetMillis());
        }
        if (node.at() != null) {
            b.append(" at=").append(node.at().kind() == io.kprom.promql.ast.AtModifier.Kind.TIMESTAMP
                    ? String.valueOf(node.at().timestampMillis()) : node.at().kind().name().toLowerCase());
        }
        return b.toString();
    }

    @Override
    public String visitMatrixSelector(MatrixSelector node) {
        return "(range " + visitVectorSelector(node.vectorSelector()) + " " + node.rangeMillis() + ")";
    }

    @Override
    public String visitSubquery(SubqueryExpr node) {
        StringBuilder b = new StringBuilder("(subquery ").append(node.expr().accept(this)).append(' ')
                .append(node.rangeMillis()).append(' ').append(node.stepMillis());
        if (node.offsetMillis() != 0) {
            b.append(" offset=").append(node.offsetMillis());
        }
        if (node.at() != null) {
            b.append(" at=").append(node.at().kind() == io.kprom.promql.ast.AtModifier.Kind.TIMESTAMP
                    ? String.valueOf(node.at().timestampMillis()) : node.at().kind().name().toLowerCase());
        }
        return b.append(')').toString();
    }

    @Override
    public String visitCall(Call node) {
        StringBuilder b = new StringBuilder("(").append(node.function().name());
        for (Expr arg : node.args()) {
            b.append(' ').append(arg.accept(this));
        }
        return b.append(')').toString();
    }

    @Override
    public String visitAggregate(AggregateExpr node) {
        StringBuilder b = new StringBuilder("(").append(node.op().keyword());
        if (node.without()) {
            b.append(" without(").append(String.join(",", node.grouping())).append(')');
        } else if (!node.grouping().isEmpty()) {
            b.append(" by(").append(String.join(",", node.grouping())).append(')');
        }
        if (node.param() != null) {
            b.append(' ').append(node.param().accept(this));
        }
        return b.append(' ').append(node.expr().accept(this)).append(')').toString();
    }

    @Override
    public String visitBinary(BinaryExpr node) {
        StringBuilder b = new StringBuilder("(").append(node.op().symbol());
        if (node.returnBool()) {
            b.append(" bool");
        }
        VectorMatching m = node.matching();
        if (m != null) {
            if (m.on() || !m.matchingLabels().isEmpty()) {
                b.append(m.on() ? " on(" : " ignoring(").append(String.join(",", m.matchingLabels())).append(')');
            }
            switch (m.cardinality()) {
                case MANY_TO_ONE -> b.append(" group_left(").append(String.join(",", m.include())).append(')');
                case ONE_TO_MANY -> b.append(" group_right(").append(String.join(",", m.include())).append(')');
                case MANY_TO_MANY -> b.append(" many");
                default -> { }
            }
        }
        return b.append(' ').append(node.lhs().accept(this)).append(' ').append(node.rhs().accept(this)).append(')')
                .toString();
    }

    @Override
    public String visitUnary(UnaryExpr node) {
        return "(" + (node.op() == UnaryOp.MINUS ? "neg " : "pos ") + node.expr().accept(this) + ")";
    }

    @Override
    public String visitParen(ParenExpr node) {
        return "(paren " + node.expr().accept(this) + ")";
    }
}
