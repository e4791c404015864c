package io.kprom.promql.parser;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.promql.ast.AggregateExpr;
import io.kprom.promql.ast.AggregateOp;
import io.kprom.promql.ast.BinaryExpr;
import io.kprom.promql.ast.Call;
import io.kprom.promql.ast.Expr;
import io.kprom.promql.ast.FunctionDef;
import io.kprom.promql.ast.MatrixSelector;
import io.kprom.promql.ast.ParenExpr;
import io.kprom.promql.ast.PositionRange;
import io.kprom.promql.ast.SubqueryExpr;
import io.kprom.promql.ast.UnaryExpr;
import io.kprom.promql.ast.ValueType;
import io.kprom.promql.ast.VectorMatching;
import io.kprom.promql.ast.VectorSelector;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prometheus's post-parse checks (its {@code checkAST}): operand and argument types, arity, vector matching
 * rules, and selectors that would select everything. Runs only on syntactically valid trees, in the same order as
 * Prometheus so the first error reported is the same.
 */
final class TypeChecker {
    /** The binary-operator modifiers as written, before the AST normalised them. */
    record BinaryModifiers(VectorMatching.Cardinality cardinality, List<String> matchingLabels, boolean on,
            List<String> include, boolean hasMatchingClause, int start) {
    }

    private final String input;
    private final Map<BinaryExpr, BinaryModifiers> modifiers;
    private final Set<VectorSelector> bypassEmptyMatcherCheck = Collections.newSetFromMap(new IdentityHashMap<>());

    TypeChecker(String input, Map<BinaryExpr, BinaryModifiers> modifiers) {
        this.input = input;
        this.modifiers = modifiers;
    }

    void check(Expr expr) {
        checkNode(expr);
    }

    private ValueType checkNode(Expr node) {
        if (node instanceof AggregateExpr aggregate) {
            expectType(aggregate.expr(), ValueType.VECTOR, "aggregation expression");
            AggregateOp op = aggregate.op();
            if (op.hasParam()) {
                expectType(aggregate.param(), op.paramType(), "aggregation parameter");
            }
        } else if (node instanceof BinaryExpr binary) {
            checkBinary(binary);
        } else if (node instanceof Call call) {
            checkCall(call);
        } else if (node instanceof ParenExpr paren) {
            checkNode(paren.expr());
        } else if (node instanceof UnaryExpr unary) {
            ValueType t = checkNode(unary.expr());
            if (t != ValueType.SCALAR && t != ValueType.VECTOR) {
                throw error(unary.position(), "unary expression only allowed on expressions of type scalar or "
                        + "instant vector, got " + GoStrings.quote(t.documentedName()));
            }
        } else if (node instanceof SubqueryExpr subquery) {
            ValueType t = checkNode(subquery.expr());
            if (t != ValueType.VECTOR) {
                throw error(subquery.position(),
                        "subquery is only allowed on instant vector, got " + t.apiName() + " instead");
            }
        } else if (node instanceof MatrixSelector matrix) {
            checkNode(matrix.vectorSelector());
        } else if (node instanceof VectorSelector selector) {
            checkSelector(selector);
        }
        return node.type();
    }

    private void checkSelector(VectorSelector selector) {
        List<LabelMatcher> matchers = selector.matchers();
        if (selector.name() != null) {
            for (LabelMatcher m : matchers.subList(0, matchers.size() - 1)) {
                if (m.name().equals("__name__")) {
                    throw error(selector.position(), "metric name must not be set twice: "
                            + GoStrings.quote(selector.name()) + " or " + GoStrings.quote(m.value()));
                }
            }
            return;
        }
        if (bypassEmptyMatcherCheck.contains(selector)) {
            return;
        }
        for (LabelMatcher m : matchers) {
            if (!m.matchesEmpty()) {
                return;
            }
        }
        throw error(selector.position(), "vector selector must contain at least one non-empty matcher");
    }

    private void checkBinary(BinaryExpr binary) {
        ValueType lt = checkNode(binary.lhs());
        ValueType rt = checkNode(binary.rhs());
        BinaryModifiers written = modifiers.get(binary);
        if (binary.returnBool() && !binary.op().isComparison()) {
            throw error(operatorRange(binary), "bool modifier can only be used on comparison operators");
        }
        if (binary.op().isComparison() && !binary.returnBool() && lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
            throw error(operatorRange(binary), "comparisons between scalars must use BOOL modifier");
        }
        if (written != null && written.on()) {
            for (String matching : written.matchingLabels()) {
                if (written.include().contains(matching)) {
                    throw error(operatorRange(binary), "label " + GoStrings.quote(matching)
                            + " must not occur in ON and GROUP clause at once");
                }
            }
        }
        if (lt != ValueType.SCALAR && lt != ValueType.VECTOR) {
            throw error(binary.lhs().position(), "binary expression must contain only scalar and instant vector types");
        }
        if (rt != ValueType.SCALAR && rt != ValueType.VECTOR) {
            throw error(binary.rhs().position(), "binary expression must contain only scalar and instant vector types");
        }
        if (lt != ValueType.VECTOR || rt != ValueType.VECTOR) {
            if (written != null && !written.matchingLabels().isEmpty()) {
                throw error(binary.position(), "vector matching only allowed between instant vectors");
            }
        } else if (binary.op().isSetOperator() && written != null
                && (written.cardinality() == VectorMatching.Cardinality.ONE_TO_MANY
                || written.cardinality() == VectorMatching.Cardinality.MANY_TO_ONE)) {
            throw error(binary.position(), "no grouping allowed for " + GoStrings.quote(binary.op().symbol())
                    + " operation");
        }
        if ((lt == ValueType.SCALAR || rt == ValueType.SCALAR) && binary.op().isSetOperator()) {
            throw error(binary.position(), "set operator " + GoStrings.quote(binary.op().symbol())
                    + " not allowed in binary scalar expression");
        }
    }

    private void checkCall(Call call) {
        FunctionDef function = call.function();
        List<Expr> args = call.args();
        int declared = function.argTypes().size();
        if (function.variadic() == 0) {
            if (declared != args.size()) {
                throw error(call.position(), "expected " + declared + " argument(s) in call to "
                        + GoStrings.quote(function.name()) + ", got " + args.size());
            }
        } else {
            int required = declared - 1;
            if (required > args.size()) {
                throw error(call.position(), "expected at least " + required + " argument(s) in call to "
                        + GoStrings.quote(function.name()) + ", got " + args.size());
            }
            int max = required + function.variadic();
            if (function.variadic() > 0 && max < args.size()) {
                throw error(call.position(), "expected at most " + max + " argument(s) in call to "
                        + GoStrings.quote(function.name()) + ", got " + args.size());
            }
        }
        if (function.name().equals("info") && args.size() > 1) {
            Expr selectorArg = args.get(1);
            if (selectorArg.type() != ValueType.VECTOR) {
                throw error(call.position(), "expected type instant vector in call to function \"info\", got "
                        + selectorArg.type().documentedName());
            }
            if (selectorArg instanceof VectorSelector selector) {
                if (selector.name() != null) {
                    throw error(selector.position(), "expected label selectors only, got vector selector instead");
                }
                bypassEmptyMatcherCheck.add(selector);
            } else {
                throw error(selectorArg.position(), "expected label selectors only");
            }
        }
        for (int i = 0; i < args.size(); i++) {
            if (i >= declared && function.variadic() == 0) {
                break;
            }
            ValueType want = function.argType(i);
            ValueType got = checkNode(args.get(i));
            if (got != want) {
                throw error(args.get(i).position(), "expected type " + want.documentedName() + " in call to function "
                        + GoStrings.quote(function.name()) + ", got " + got.documentedName());
            }
        }
    }

    private void expectType(Expr node, ValueType want, String context) {
        ValueType got = checkNode(node);
        if (got != want) {
            throw error(node.position(), "expected type " + want.documentedName() + " in " + context + ", got "
                    + got.documentedName());
        }
    }

    /** The operator and its modifiers: from the first non-space after the left operand. */
    private PositionRange operatorRange(BinaryExpr binary) {
        int start = binary.lhs().position().end();
        while (start < input.length() && Lexer.isSpace(input.charAt(start))) {
            start++;
        }
        int end = Math.max(start, binary.rhs().position().start());
        return new PositionRange(start, end);
    }

    private ParseException error(PositionRange position, String message) {
        return new ParseException(input, position, message);
    }
}
