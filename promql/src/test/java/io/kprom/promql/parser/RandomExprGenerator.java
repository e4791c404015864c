package io.kprom.promql.parser;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.promql.ast.AggregateExpr;
import io.kprom.promql.ast.AggregateOp;
import io.kprom.promql.ast.AtModifier;
import io.kprom.promql.ast.BinaryExpr;
import io.kprom.promql.ast.BinaryOp;
import io.kprom.promql.ast.Call;
import io.kprom.promql.ast.Expr;
import io.kprom.promql.ast.FunctionDef;
import io.kprom.promql.ast.Functions;
import io.kprom.promql.ast.MatrixSelector;
import io.kprom.promql.ast.NumberLiteral;
import io.kprom.promql.ast.ParenExpr;
import io.kprom.promql.ast.StringLiteral;
import io.kprom.promql.ast.SubqueryExpr;
import io.kprom.promql.ast.UnaryExpr;
import io.kprom.promql.ast.UnaryOp;
import io.kprom.promql.ast.ValueType;
import io.kprom.promql.ast.VectorMatching;
import io.kprom.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Test helper: generates random, type-correct PromQL trees in the canonical shape the parser produces (matchers
 * sorted as the printer sorts them, the name matcher last, parentheses wherever precedence needs them).
 */
final class RandomExprGenerator {
    private static final String[] METRIC_NAMES = {"foo", "http_requests_total", "job:rate5m:sum", ":weird", "sum",
        "by", "offset", "start", "end", "and", "without", "Up", "a_1"};
    private static final String[] LABEL_NAMES = {"job", "instance", "le", "a.b", "ütf8", "by", "on", "_x", "A1",
        "with space", "__name__"};
    private static final String[] GROUPING_LABELS = {"job", "instance", "by", "without", "on", "bool", "a.b",
        "group_left", "sum", "x:y", "inf", "__name__"};
    private static final String[] VALUES = {"", "a", "node-1", "with \"quotes\"", "back\\slash", "new\nline",
        "tab\there", "ünïcödé", "emoji 😀", "zero\u200bwidth", "ctrl\u0001char", "'single'", "`raw`"};
    private static final String[] REGEXES = {".*", ".+", "a|b", "node-[0-9]+", "(?i)foo", "[[:alpha:]]+", "\\d{2,3}",
        "x\\.y", "", "ü+"};
    private static final BinaryOp[] ARITHMETIC = {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV,
        BinaryOp.MOD, BinaryOp.POW, BinaryOp.ATAN2};
    private static final BinaryOp[] COMPARISON = {BinaryOp.EQL, BinaryOp.NEQ, BinaryOp.GTR, BinaryOp.LSS,
        BinaryOp.GTE, BinaryOp.LTE};
    private static final BinaryOp[] SET = {BinaryOp.AND, BinaryOp.OR, BinaryOp.UNLESS};

    private final Random random;
    private final List<FunctionDef> functions = new ArrayList<>();

    RandomExprGenerator(long seed) {
        this.random = new Random(seed);
        for (FunctionDef f : Functions.all()) {
            if (!f.name().equals("info")) { // info's second argument has extra rules, tested separately
                functions.add(f);
            }
        }
    }

    Expr any(int depth) {
        return switch (random.nextInt(10)) {
            case 0 -> scalar(depth);
            case 1 -> matrix(depth);
            case 2 -> string();
            default -> vector(depth);
        };
    }

    Expr vector(int depth) {
        if (depth <= 0) {
            return selector();
        }
        return switch (random.nextInt(7)) {
            case 0 -> selector();
            case 1 -> call(ValueType.VECTOR, depth);
            case 2 -> aggregate(depth);
            case 3, 4 -> binary(depth, true);
            case 5 -> unary(vector(depth - 1));
            default -> new ParenExpr(vector(depth - 1));
        };
    }

    Expr scalar(int depth) {
        if (depth <= 0) {
            return number();
        }
        return switch (random.nextInt(6)) {
            case 0, 1 -> number();
            case 2 -> call(ValueType.SCALAR, depth);
            case 3 -> binary(depth, false);
            case 4 -> unary(scalar(depth - 1));
            default -> new ParenExpr(scalar(depth - 1));
        };
    }

    Expr matrix(int depth) {
        if (depth <= 0 || random.nextBoolean()) {
            return new MatrixSelector(selector(), positiveMillis());
        }
        Expr inner = atomic(vector(depth - 1));
        long step = random.nextInt(3) == 0 ? 0 : positiveMillis();
        return new SubqueryExpr(inner, positiveMillis(), step, offset(), at(), io.kprom.promql.ast.PositionRange.NONE);
    }

    StringLiteral string() {
        return new StringLiteral(pick(VALUES) + (random.nextBoolean() ? pick(VALUES) : ""));
    }

    NumberLiteral number() {
        return new NumberLiteral(switch (random.nextInt(9)) {
            case 0 -> random.nextInt(1000);
            case 1 -> -random.nextInt(1000);
            case 2 -> random.nextDouble() * 100;
            case 3 -> -random.nextDouble();
            case 4 -> Math.pow(10, random.nextInt(40) - 20) * (1 + random.nextInt(9));
            case 5 -> Double.POSITIVE_INFINITY;
            case 6 -> Double.NEGATIVE_INFINITY;
            case 7 -> Double.NaN;
            default -> random.nextInt(2) == 0 ? 0.0 : -0.0;
        });
    }

    VectorSelector selector() {
        String name = random.nextInt(4) == 0 ? null : pick(METRIC_NAMES);
        int count = random.nextInt(4);
        List<LabelMatcher> matchers = new ArrayList<>();
        for (int i = 0; i < count || (name == null && !hasNonEmptyMatcher(matchers)); i++) {
            String label = pick(LABEL_NAMES);
            if (name != null && label.equals("__name__")) {
                continue;
            }
            LabelMatcher.Type type = LabelMatcher.Type.values()[random.nextInt(4)];
            String value = type == LabelMatcher.Type.REGEX || type == LabelMatcher.Type.NOT_REGEX
                    ? pick(REGEXES) : pick(VALUES);
            matchers.add(LabelMatcher.of(type, label, value));
        }
        matchers.sort(Comparator.comparing(PromqlPrinter::formatMatcher));
        if (name != null) {
            matchers.add(LabelMatcher.equal("__name__", name));
        }
        return new VectorSelector(name, matchers, offset(), at(), io.kprom.promql.ast.PositionRange.NONE);
    }

    private static boolean hasNonEmptyMatcher(List<LabelMatcher> matchers) {
        return matchers.stream().anyMatch(m -> !m.matchesEmpty());
    }

    private Expr call(ValueType returnType, int depth) {
        List<FunctionDef> candidates = functions.stream().filter(f -> f.returnType() == returnType).toList();
        FunctionDef f = candidates.get(random.nextInt(candidates.size()));
        int count = f.minArgs();
        if (f.maxArgs() > count) {
            count += random.nextInt(Math.min(f.maxArgs() - count, 3) + 1);
        }
        List<Expr> args = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            args.add(ofType(f.argType(i), depth - 1));
        }
        return new Call(f, args);
    }

    private Expr ofType(ValueType type, int depth) {
        return switch (type) {
            case SCALAR -> scalar(depth);
            case VECTOR -> vector(depth);
            case MATRIX -> matrix(depth);
            case STRING -> string();
        };
    }

    private Expr aggregate(int depth) {
        AggregateOp op = AggregateOp.values()[random.nextInt(AggregateOp.values().length)];
        Expr param = op.hasParam() ? ofType(op.paramType(), depth - 1) : null;
        List<String> grouping = new ArrayList<>();
        int count = random.nextInt(3);
        for (int i = 0; i < count; i++) {
            grouping.add(pick(GROUPING_LABELS));
        }
        boolean without = random.nextInt(3) == 0;
        return new AggregateExpr(op, vector(depth - 1), param, grouping, without);
    }

    private Expr binary(int depth, boolean vectorResult) {
        BinaryOp op;
        boolean lhsVector;
        boolean rhsVector;
        if (vectorResult) {
            int kind = random.nextInt(3);
            op = kind == 0 ? pick(SET) : kind == 1 ? pick(COMPARISON) : pick(ARITHMETIC);
            lhsVector = op.isSetOperator() || random.nextInt(3) > 0;
            rhsVector = op.isSetOperator() || !lhsVector || random.nextBoolean();
        } else {
            op = random.nextBoolean() ? pick(COMPARISON) : pick(ARITHMETIC);
            lhsVector = false;
            rhsVector = false;
        }
        Expr lhs = operand(lhsVector ? vector(depth - 1) : scalar(depth - 1), op, true);
        Expr rhs = operand(rhsVector ? vector(depth - 1) : scalar(depth - 1), op, false);
        boolean returnBool = op.isComparison() && (!lhsVector && !rhsVector || random.nextBoolean());
        VectorMatching matching = null;
        if (lhsVector && rhsVector) {
            matching = matching(op);
        }
        return new BinaryExpr(op, lhs, rhs, matching, returnBool);
    }

    private VectorMatching matching(BinaryOp op) {
        List<String> labels = new ArrayList<>();
        int count = random.nextInt(3);
        for (int i = 0; i < count; i++) {
            labels.add(pick(GROUPING_LABELS));
        }
        boolean on = random.nextBoolean();
        if (op.isSetOperator()) {
            return new VectorMatching(VectorMatching.Cardinality.MANY_TO_MANY, labels, on, List.of());
        }
        VectorMatching.Cardinality card = switch (random.nextInt(4)) {
            case 0 -> VectorMatching.Cardinality.MANY_TO_ONE;
            case 1 -> VectorMatching.Cardinality.ONE_TO_MANY;
            default -> VectorMatching.Cardinality.ONE_TO_ONE;
        };
        List<String> include = new ArrayList<>();
        if (card != VectorMatching.Cardinality.ONE_TO_ONE) {
            for (String label : GROUPING_LABELS) {
                if (random.nextInt(5) == 0 && !(on && labels.contains(label))) {
                    include.add(label);
                }
            }
        }
        return new VectorMatching(card, labels, on, include);
    }

    /** Wraps an operand in parentheses where the printed form would otherwise parse differently. */
    private static Expr operand(Expr e, BinaryOp op, boolean left) {
        if (e instanceof BinaryExpr b) {
            int p = b.op().precedence();
            boolean needs = left
                    ? p < op.precedence() || (p == op.precedence() && op.isRightAssociative())
                    : p < op.precedence() || (p == op.precedence() && !op.isRightAssociative());
            return needs ? new ParenExpr(e) : e;
        }
        if (left && op == BinaryOp.POW) {
            if (e instanceof UnaryExpr) {
                return new ParenExpr(e);
            }
            if (e instanceof NumberLiteral n && PromqlPrinter.formatNumber(n.value()).matches("[-+].*")) {
                return new ParenExpr(e);
            }
        }
        return e;
    }

    private Expr unary(Expr operand) {
        Expr e = operand;
        if (e instanceof NumberLiteral || (e instanceof BinaryExpr b && b.op() != BinaryOp.POW)
                || (e instanceof BinaryExpr b2 && b2.lhs() instanceof NumberLiteral)) {
            e = new ParenExpr(e);
        }
        return new UnaryExpr(random.nextBoolean() ? UnaryOp.MINUS : UnaryOp.PLUS, e);
    }

    /** Something a subquery can follow without parentheses. */
    private static Expr atomic(Expr e) {
        if (e instanceof BinaryExpr || e instanceof UnaryExpr) {
            return new ParenExpr(e);
        }
        return e;
    }

    private long offset() {
        return switch (random.nextInt(4)) {
            case 0 -> positiveMillis();
            case 1 -> -positiveMillis();
            default -> 0;
        };
    }

    private AtModifier at() {
        return switch (random.nextInt(6)) {
            case 0 -> AtModifier.at(random.nextLong() % 4_000_000_000_000L);
            case 1 -> AtModifier.START;
            case 2 -> AtModifier.END;
            default -> null;
        };
    }

    private long positiveMillis() {
        return switch (random.nextInt(4)) {
            case 0 -> 1 + random.nextInt(1000);
            case 1 -> 1000L * (1 + random.nextInt(3600));
            case 2 -> 60_000L * (1 + random.nextInt(60 * 24 * 400));
            default -> 1 + (long) random.nextInt(Integer.MAX_VALUE) * 37;
        };
    }

    private <T> T pick(T[] options) {
        return options[random.nextInt(options.length)];
    }
}
