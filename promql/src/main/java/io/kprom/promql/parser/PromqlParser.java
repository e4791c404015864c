package io.kprom.promql.parser;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
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
import io.kprom.promql.ast.PositionRange;
import io.kprom.promql.ast.StringLiteral;
import io.kprom.promql.ast.SubqueryExpr;
import io.kprom.promql.ast.UnaryExpr;
import io.kprom.promql.ast.UnaryOp;
import io.kprom.promql.ast.ValueType;
import io.kprom.promql.ast.VectorMatching;
import io.kprom.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses PromQL (Prometheus 3.x grammar) into the immutable AST of {@code io.kprom.promql.ast}.
 *
 * <pre>{@code
 * Expr expr = PromqlParser.parse("sum by (job) (rate(http_requests_total[5m]))");
 * List<LabelMatcher> matchers = PromqlParser.parseMetricSelector("up{job=\"node\"}");
 * long stepMillis = PromqlParser.parseDuration("1m30s");
 * }</pre>
 *
 * A hand-written lexer and precedence-climbing parser with Prometheus's precedence, error messages and
 * checks (types, arity, modifiers). Errors are {@link ParseException}s; like Prometheus, the first error
 * found is reported. The static methods are thread-safe (each call uses its own parser state).
 */
public final class PromqlParser {
    /** Unary operators bind like {@code *}: only {@code ^} (precedence 6) binds tighter. */
    private static final int UNARY_OPERAND_PRECEDENCE = 6;
    /**
     * Bounds the depth of the expression tree (nesting, and operators chained at one level) so that a hostile
     * query cannot overflow the stack of the parser, type checker, printer or evaluator (Go's growable stacks
     * spare Prometheus such a limit).
     */
    static final int MAX_NESTING_DEPTH = 256;

    private final String input;
    private final Lexer lexer;
    private final boolean experimentalEnabled;
    private final List<ParseException> parseErrors = new ArrayList<>();
    private final Map<BinaryExpr, TypeChecker.BinaryModifiers> binaryModifiers = new IdentityHashMap<>();
    private Token current;
    private Token second;
    private int lastEnd;
    private int aggregationDepth;
    private int nestingDepth;

    private PromqlParser(String input, boolean experimentalEnabled) {
        this.input = input;
        this.lexer = new Lexer(input);
        this.experimentalEnabled = experimentalEnabled;
    }

    /** Parses a PromQL expression; experimental functions (Prometheus's feature flag) are accepted. */
    public static Expr parse(String query) {
        return parse(query, true);
    }

    /**
     * Parses a PromQL expression.
     *
     * @param experimentalEnabled whether experimental functions and aggregations ({@code limitk},
     *                            {@code sort_by_label}, ...) are accepted, like Prometheus's
     *                            {@code --enable-feature=promql-experimental-functions}
     */
    public static Expr parse(String query, boolean experimentalEnabled) {
        PromqlParser parser = new PromqlParser(query, experimentalEnabled);
        return parser.parseQuery();
    }

    /**
     * Parses a series selector ({@code metric{label="v"}} or {@code {label="v"}}) as the HTTP API's
     * {@code match[]} takes it. Returns all matchers including the {@code __name__} one. Like Prometheus, it does
     * not reject selectors whose matchers all match the empty string; callers that need that check do it.
     */
    public static List<LabelMatcher> parseMetricSelector(String selector) {
        PromqlParser parser = new PromqlParser(selector, true);
        return parser.parseSelectorOnly();
    }

    /**
     * Parses a duration as Prometheus's API does: a Prometheus duration ({@code 5m}, {@code 1h30m}) or float
     * seconds ({@code 30}, {@code 1.5}). Returns milliseconds.
     */
    public static long parseDuration(String text) {
        String s = text.trim();
        try {
            double seconds = Double.parseDouble(s);
            if (!Double.isNaN(seconds) && !Double.isInfinite(seconds) && s.matches("[0-9.eE+-]+")) {
                double millis = Math.rint(seconds * 1000);
                if (millis > Long.MAX_VALUE || millis < Long.MIN_VALUE) {
                    throw new ParseException(text, new PositionRange(0, text.length()),
                            "cannot parse " + GoStrings.quote(text) + " to a valid duration. It overflows int64");
                }
                return (long) millis;
            }
        } catch (NumberFormatException e) {
            // not float seconds: try a Prometheus duration
        }
        try {
            return Durations.parseMillis(s);
        } catch (IllegalArgumentException e) {
            throw new ParseException(text, new PositionRange(0, text.length()),
                    "cannot parse " + GoStrings.quote(text) + " to a valid duration");
        }
    }

    /** Formats milliseconds as a Prometheus duration string ({@code 1h30m}); negative values get a minus sign. */
    public static String formatDuration(long millis) {
        return millis < 0 ? "-" + Durations.format(-millis) : Durations.format(millis);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Entry points

    private Expr parseQuery() {
        if (peek().type() == TokenType.EOF) {
            throw error(new PositionRange(0, 0), "no expression found in input");
        }
        Expr expr = parseExpr(0);
        if (peek().type() != TokenType.EOF) {
            throw unexpected("", "");
        }
        if (!parseErrors.isEmpty()) {
            throw parseErrors.get(0);
        }
        new TypeChecker(input, binaryModifiers).check(expr);
        return expr;
    }

    private List<LabelMatcher> parseSelectorOnly() {
        Token t = peek();
        VectorSelector selector;
        if (isMetricIdentifier(t.type()) || t.type().isAggregator()) {
            advance();
            selector = parseVectorSelector(t);
        } else if (t.type() == TokenType.LEFT_BRACE) {
            selector = parseVectorSelector(null);
        } else {
            throw unexpected("", "");
        }
        if (peek().type() != TokenType.EOF) {
            throw unexpected("", "");
        }
        if (!parseErrors.isEmpty()) {
            throw parseErrors.get(0);
        }
        return selector.matchers();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Expressions

    private Expr parseExpr(int minPrecedence) {
        if (++nestingDepth > MAX_NESTING_DEPTH) {
            throw firstError(error(range(peek()),
                    "expression nested too deeply (more than " + MAX_NESTING_DEPTH + " levels)"));
        }
        try {
            return parseBinary(minPrecedence);
        } finally {
            nestingDepth--;
        }
    }

    private Expr parseBinary(int minPrecedence) {
        Expr lhs = parseUnary();
        // Each operator of a left-associative chain (a + b + c ...) deepens the tree by one level without
        // recursing here, but the type checker, printer and evaluator recurse over the tree: count it as nesting.
        int chained = 0;
        try {
            while (true) {
                Token t = peek();
                BinaryOp op = binaryOp(t.type());
                if (op == null || op.precedence() < minPrecedence) {
                    return lhs;
                }
                if (++nestingDepth > MAX_NESTING_DEPTH) {
                    nestingDepth--;
                    throw firstError(error(range(t), "expression nested too deeply (more than " + MAX_NESTING_DEPTH
                            + " levels)"));
                }
                chained++;
                lhs = parseOperator(lhs, op);
            }
        } finally {
            nestingDepth -= chained;
        }
    }

    /** Parses the modifiers and right-hand side of binary operator {@code op} (the current token). */
    private Expr parseOperator(Expr lhs, BinaryOp op) {
        advance();
        int modifiersStart = peek().start();
        boolean returnBool = false;
        if (peek().type() == TokenType.BOOL) {
            advance();
            returnBool = true;
        }
        boolean on = false;
        boolean hasMatchingClause = false;
        List<String> matchingLabels = List.of();
        VectorMatching.Cardinality cardinality = VectorMatching.Cardinality.ONE_TO_ONE;
        List<String> include = List.of();
        TokenType next = peek().type();
        if (next == TokenType.ON || next == TokenType.IGNORING) {
            advance();
            hasMatchingClause = true;
            on = next == TokenType.ON;
            matchingLabels = parseGroupingLabels();
            TokenType group = peek().type();
            if (group == TokenType.GROUP_LEFT || group == TokenType.GROUP_RIGHT) {
                advance();
                cardinality = group == TokenType.GROUP_LEFT
                        ? VectorMatching.Cardinality.MANY_TO_ONE
                        : VectorMatching.Cardinality.ONE_TO_MANY;
                if (peek().type() == TokenType.LEFT_PAREN) {
                    include = parseGroupingLabels();
                }
            }
        }
        Expr rhs = parseExpr(op.isRightAssociative() ? op.precedence() : op.precedence() + 1);
        VectorMatching matching = null;
        if (lhs.type() == ValueType.VECTOR && rhs.type() == ValueType.VECTOR) {
            VectorMatching.Cardinality effective = op.isSetOperator()
                    && cardinality == VectorMatching.Cardinality.ONE_TO_ONE
                    ? VectorMatching.Cardinality.MANY_TO_MANY : cardinality;
            matching = new VectorMatching(effective, matchingLabels, on, include);
        }
        BinaryExpr binary = new BinaryExpr(op, lhs, rhs, matching, returnBool,
                span(lhs.position().start(), rhs.position().end()));
        binaryModifiers.put(binary, new TypeChecker.BinaryModifiers(cardinality, matchingLabels, on, include,
                hasMatchingClause, modifiersStart));
        return binary;
    }

    private Expr parseUnary() {
        Token t = peek();
        if (t.type() == TokenType.ADD || t.type() == TokenType.SUB) {
            advance();
            Expr operand = parseExpr(UNARY_OPERAND_PRECEDENCE);
            PositionRange range = span(t.start(), operand.position().end());
            if (operand instanceof NumberLiteral number) {
                double value = t.type() == TokenType.SUB ? -number.value() : number.value();
                return new NumberLiteral(value, range);
            }
            return new UnaryExpr(t.type() == TokenType.SUB ? UnaryOp.MINUS : UnaryOp.PLUS, operand, range);
        }
        return parsePostfix(parsePrimary());
    }

    private Expr parsePrimary() {
        Token t = peek();
        switch (t.type()) {
            case NUMBER:
                advance();
                return new NumberLiteral(number(t), range(t));
            case DURATION:
                advance();
                return new NumberLiteral(durationMillis(t) / 1000.0, range(t));
            case STRING:
                advance();
                return new StringLiteral(GoStrings.unquote(t.text()), range(t));
            case LEFT_PAREN: {
                advance();
                Expr inner = parseExpr(0);
                Token close = peek();
                if (close.type() != TokenType.RIGHT_PAREN) {
                    throw unexpected("", "");
                }
                advance();
                return new ParenExpr(inner, span(t.start(), close.end()));
            }
            case LEFT_BRACE:
                return parseVectorSelector(null);
            case IDENTIFIER:
                advance();
                if (peek().type() == TokenType.LEFT_PAREN) {
                    return parseCall(t);
                }
                return parseVectorSelector(t);
            default:
                break;
        }
        if (t.type().isAggregator()) {
            TokenType after = peekSecond().type();
            // Like Prometheus, an aggregation keyword not followed by "(", by or without is a metric name.
            if (after == TokenType.LEFT_PAREN || after == TokenType.BY || after == TokenType.WITHOUT) {
                return parseAggregation();
            }
            advance();
            return parseVectorSelector(t);
        }
        if (isMetricIdentifier(t.type())) {
            advance();
            return parseVectorSelector(t);
        }
        throw unexpected("", "");
    }

    /** Tokens that may name a metric outside braces (Prometheus's metric_identifier rule). */
    private static boolean isMetricIdentifier(TokenType type) {
        return switch (type) {
            case IDENTIFIER, METRIC_IDENTIFIER, BY, WITHOUT, OFFSET, LAND, LOR, LUNLESS, START, END -> true;
            default -> false;
        };
    }

    private Expr parsePostfix(Expr expr) {
        Expr e = expr;
        while (true) {
            switch (peek().type()) {
                case LEFT_BRACKET -> e = parseRangeOrSubquery(e);
                case OFFSET -> e = parseOffset(e);
                case AT -> e = parseAt(e);
                default -> {
                    return e;
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Selectors

    /** Parses {@code {...}} if present; {@code nameToken} is the already consumed metric name, or null. */
    private VectorSelector parseVectorSelector(Token nameToken) {
        List<LabelMatcher> matchers = new ArrayList<>();
        int start = nameToken != null ? nameToken.start() : peek().start();
        int end = nameToken != null ? nameToken.end() : start;
        if (peek().type() == TokenType.LEFT_BRACE) {
            end = parseLabelMatchers(matchers);
        } else if (nameToken == null) {
            throw unexpected("", "");
        }
        String name = null;
        if (nameToken != null) {
            name = nameToken.text();
            matchers.add(LabelMatcher.equal("__name__", name));
        }
        return new VectorSelector(name, matchers, 0, null, span(start, end));
    }

    /** Parses {@code { matcher, ... }} into {@code matchers}; returns the end offset of the closing brace. */
    private int parseLabelMatchers(List<LabelMatcher> matchers) {
        advance(); // {
        if (peek().type() == TokenType.RIGHT_BRACE) {
            return advance().end();
        }
        while (true) {
            Token label = peek();
            if (label.type() == TokenType.IDENTIFIER) {
                advance();
                LabelMatcher.Type type = matchType(peek().type());
                if (type == null) {
                    throw unexpected("label matching", "label matching operator");
                }
                advance();
                Token value = peek();
                if (value.type() != TokenType.STRING) {
                    throw unexpected("label matching", "string");
                }
                advance();
                addMatcher(matchers, type, label.text(), label, value);
            } else if (label.type() == TokenType.STRING) {
                advance();
                String name = GoStrings.unquote(label.text());
                LabelMatcher.Type type = matchType(peek().type());
                if (type != null) {
                    advance();
                    Token value = peek();
                    if (value.type() != TokenType.STRING) {
                        throw unexpected("label matching", "string");
                    }
                    advance();
                    addMatcher(matchers, type, name, label, value);
                } else {
                    matchers.add(LabelMatcher.equal("__name__", name));
                }
            } else {
                throw unexpected("label matching", "identifier or \"}\"");
            }
            Token separator = peek();
            if (separator.type() == TokenType.COMMA) {
                advance();
                if (peek().type() == TokenType.RIGHT_BRACE) {
                    return advance().end();
                }
            } else if (separator.type() == TokenType.RIGHT_BRACE) {
                return advance().end();
            } else {
                throw unexpected("label matching", "\",\" or \"}\"");
            }
        }
    }

    private void addMatcher(List<LabelMatcher> matchers, LabelMatcher.Type type, String name, Token label,
            Token valueToken) {
        String value = GoStrings.unquote(valueToken.text());
        try {
            matchers.add(LabelMatcher.of(type, name, value));
        } catch (PatternSyntaxException e) {
            String message = e.getMessage();
            try {
                Pattern.compile(value);
            } catch (PatternSyntaxException raw) {
                message = raw.getMessage();
            }
            addError(span(label.start(), valueToken.end()), message);
            matchers.add(LabelMatcher.of(LabelMatcher.Type.EQUAL, name, value));
        }
    }

    private static LabelMatcher.Type matchType(TokenType type) {
        return switch (type) {
            case EQL -> LabelMatcher.Type.EQUAL;
            case NEQ -> LabelMatcher.Type.NOT_EQUAL;
            case EQL_REGEX -> LabelMatcher.Type.REGEX;
            case NEQ_REGEX -> LabelMatcher.Type.NOT_REGEX;
            default -> null;
        };
    }

    private Expr parseRangeOrSubquery(Expr expr) {
        Token open = advance(); // [
        Token rangeToken = peek();
        if (!isNumberOrDuration(rangeToken)) {
            throw unexpected("subquery selector", "number or duration");
        }
        advance();
        long rangeMillis = literalMillis(rangeToken);
        if (rangeMillis <= 0) {
            addError(range(rangeToken), "duration must be greater than 0");
        }
        Token t = peek();
        if (t.type() == TokenType.RIGHT_BRACKET) {
            Token close = advance();
            String message = null;
            if (!(expr instanceof VectorSelector selector)) {
                message = "ranges only allowed for vector selectors";
            } else if (selector.offsetMillis() != 0) {
                message = "no offset modifiers allowed before range";
            } else if (selector.at() != null) {
                message = "no @ modifiers allowed before range";
            }
            if (message != null) {
                addError(span(open.start(), close.end()), message);
                return expr;
            }
            VectorSelector selector = (VectorSelector) expr;
            return new MatrixSelector(selector, rangeMillis, span(selector.position().start(), close.end()));
        }
        if (t.type() != TokenType.COLON) {
            throw unexpected("subquery or range", "\":\" or \"]\"");
        }
        advance();
        long stepMillis = 0;
        Token stepToken = peek();
        if (isNumberOrDuration(stepToken)) {
            advance();
            stepMillis = literalMillis(stepToken);
            if (peek().type() != TokenType.RIGHT_BRACKET) {
                throw unexpected("subquery selector", "\"]\"");
            }
        } else if (stepToken.type() != TokenType.RIGHT_BRACKET) {
            throw unexpected("subquery selector", "number or duration or \"]\"");
        }
        Token close = advance();
        return new SubqueryExpr(expr, rangeMillis, stepMillis, 0, null, span(expr.position().start(), close.end()));
    }

    private Expr parseOffset(Expr expr) {
        advance(); // offset
        boolean negative = false;
        if (peek().type() == TokenType.SUB) {
            advance();
            negative = true;
        }
        Token t = peek();
        if (!isNumberOrDuration(t)) {
            throw unexpected("offset", "number or duration");
        }
        advance();
        long offset = literalMillis(t);
        if (negative) {
            offset = -offset;
        }
        PositionRange position = expr.position();
        if (expr instanceof VectorSelector selector) {
            if (selector.offsetMillis() != 0) {
                addError(position, "offset may not be set multiple times");
                return expr;
            }
            return new VectorSelector(selector.name(), selector.matchers(), offset, selector.at(), extend(position));
        }
        if (expr instanceof MatrixSelector matrix) {
            VectorSelector selector = matrix.vectorSelector();
            if (selector.offsetMillis() != 0) {
                addError(position, "offset may not be set multiple times");
                return expr;
            }
            return new MatrixSelector(selector.withOffsetMillis(offset), matrix.rangeMillis(), extend(position));
        }
        if (expr instanceof SubqueryExpr subquery) {
            if (subquery.offsetMillis() != 0) {
                addError(position, "offset may not be set multiple times");
                return expr;
            }
            return new SubqueryExpr(subquery.expr(), subquery.rangeMillis(), subquery.stepMillis(), offset,
                    subquery.at(), extend(position));
        }
        addError(position,
                "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery");
        return expr;
    }

    private Expr parseAt(Expr expr) {
        advance(); // @
        Token t = peek();
        AtModifier at;
        if (t.type() == TokenType.START || t.type() == TokenType.END) {
            advance();
            if (peek().type() != TokenType.LEFT_PAREN) {
                throw unexpected("@", "timestamp");
            }
            advance();
            if (peek().type() != TokenType.RIGHT_PAREN) {
                throw unexpected("@", "timestamp");
            }
            advance();
            at = t.type() == TokenType.START ? AtModifier.START : AtModifier.END;
        } else {
            boolean negative = false;
            if (t.type() == TokenType.ADD || t.type() == TokenType.SUB) {
                advance();
                negative = t.type() == TokenType.SUB;
                t = peek();
            }
            if (!isNumberOrDuration(t)) {
                throw unexpected("@", "timestamp");
            }
            advance();
            double seconds = t.type() == TokenType.NUMBER ? number(t) : durationMillis(t) / 1000.0;
            if (negative) {
                seconds = -seconds;
            }
            long millis = 0;
            if (Double.isNaN(seconds) || Double.isInfinite(seconds) || seconds >= 0x1p63 || seconds <= -0x1p63) {
                addError(expr.position(), "timestamp out of bounds for @ modifier: " + formatGoFloat(seconds));
            } else {
                millis = roundHalfAwayFromZero(seconds * 1000);
            }
            at = AtModifier.at(millis);
        }
        PositionRange position = expr.position();
        VectorSelector target;
        if (expr instanceof VectorSelector selector) {
            target = selector;
        } else if (expr instanceof MatrixSelector matrix) {
            target = matrix.vectorSelector();
        } else if (expr instanceof SubqueryExpr subquery) {
            if (subquery.at() != null) {
                addError(position, "@ <timestamp> may not be set multiple times");
                return expr;
            }
            return subquery.withAt(at).withPosition(extend(position));
        } else {
            addError(position,
                    "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery");
            return expr;
        }
        if (target.at() != null) {
            addError(position, "@ <timestamp> may not be set multiple times");
            return expr;
        }
        if (expr instanceof MatrixSelector matrix) {
            return new MatrixSelector(target.withAt(at), matrix.rangeMillis(), extend(position));
        }
        return target.withAt(at).withPosition(extend(position));
    }

    private static String formatGoFloat(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return new java.math.BigDecimal(v).setScale(6, java.math.RoundingMode.HALF_EVEN).toPlainString();
    }

    private static long roundHalfAwayFromZero(double v) {
        return v < 0 ? -Math.round(-v) : Math.round(v); // Go's math.Round: halves away from zero
    }

    // ---------------------------------------------------------------------------------------------------------
    // Calls and aggregations

    private Expr parseCall(Token name) {
        List<Expr> args = parseCallBody();
        PositionRange position = span(name.start(), lastEnd);
        FunctionDef function = Functions.get(name.text());
        if (function == null) {
            addError(range(name), "unknown function with name " + GoStrings.quote(name.text()));
            function = new FunctionDef(name.text(), List.of(), 0, ValueType.VECTOR, false);
        } else if (function.experimental() && !experimentalEnabled) {
            addError(range(name), "function " + GoStrings.quote(name.text()) + " is not enabled");
        }
        return new Call(function, args, position);
    }

    /** Parses {@code ( args )}; the current token must be the opening parenthesis. */
    private List<Expr> parseCallBody() {
        if (peek().type() != TokenType.LEFT_PAREN) {
            throw unexpected("", "");
        }
        advance();
        List<Expr> args = new ArrayList<>();
        if (peek().type() == TokenType.RIGHT_PAREN) {
            advance();
            return args;
        }
        while (true) {
            args.add(parseExpr(0));
            Token t = peek();
            if (t.type() == TokenType.COMMA) {
                advance();
                if (peek().type() == TokenType.RIGHT_PAREN) {
                    addError(range(t), "trailing commas not allowed in function call args");
                    advance();
                    return args;
                }
            } else if (t.type() == TokenType.RIGHT_PAREN) {
                advance();
                return args;
            } else {
                throw unexpected("", "");
            }
        }
    }

    private Expr parseAggregation() {
        Token opToken = advance();
        AggregateOp op = AggregateOp.fromKeyword(opToken.text());
        aggregationDepth++;
        List<String> grouping = List.of();
        boolean without = false;
        List<Expr> args;
        TokenType next = peek().type();
        if (next == TokenType.BY || next == TokenType.WITHOUT) {
            advance();
            without = next == TokenType.WITHOUT;
            grouping = parseGroupingLabels();
            if (peek().type() != TokenType.LEFT_PAREN) {
                throw unexpected("aggregation", "");
            }
            args = parseCallBody();
        } else if (next == TokenType.LEFT_PAREN) {
            args = parseCallBody();
            TokenType after = peek().type();
            if (after == TokenType.BY || after == TokenType.WITHOUT) {
                advance();
                without = after == TokenType.WITHOUT;
                grouping = parseGroupingLabels();
            }
        } else {
            throw unexpected("aggregation", "");
        }
        aggregationDepth--;
        PositionRange position = span(opToken.start(), lastEnd);
        Expr param = null;
        Expr body = new NumberLiteral(0, position);
        if (args.isEmpty()) {
            addError(position, "no arguments for aggregate expression provided");
        } else if (op.hasParam() && op.experimental() && !experimentalEnabled) {
            addError(position, op.keyword()
                    + "() is experimental and must be enabled with --enable-feature=promql-experimental-functions");
        } else {
            int desired = op.hasParam() ? 2 : 1;
            if (op.hasParam()) {
                param = args.get(0);
            }
            if (args.size() != desired) {
                addError(position, "wrong number of arguments for aggregate expression provided, expected "
                        + desired + ", got " + args.size());
            } else {
                body = args.get(desired - 1);
            }
        }
        return new AggregateExpr(op, body, param, grouping, without, position);
    }

    /** Parses {@code (label, ...)}; the current token must be the opening parenthesis. */
    private List<String> parseGroupingLabels() {
        if (peek().type() != TokenType.LEFT_PAREN) {
            throw unexpected("grouping opts", "\"(\"");
        }
        advance();
        List<String> labels = new ArrayList<>();
        if (peek().type() == TokenType.RIGHT_PAREN) {
            advance();
            return labels;
        }
        while (true) {
            Token t = peek();
            if (isGroupingLabel(t.type())) {
                advance();
                labels.add(t.text());
            } else if (t.type() == TokenType.STRING) {
                advance();
                String label = GoStrings.unquote(t.text());
                if (label.isEmpty()) {
                    addError(range(t), "invalid label name for grouping: " + GoStrings.quote(label));
                }
                labels.add(label);
            } else {
                throw unexpected("grouping opts", "label");
            }
            Token separator = peek();
            if (separator.type() == TokenType.COMMA) {
                advance();
                if (peek().type() == TokenType.RIGHT_PAREN) {
                    advance();
                    return labels;
                }
            } else if (separator.type() == TokenType.RIGHT_PAREN) {
                advance();
                return labels;
            } else {
                throw unexpected("grouping opts", "\",\" or \")\"");
            }
        }
    }

    /** Tokens usable as label names in grouping clauses (Prometheus's maybe_label rule). */
    private static boolean isGroupingLabel(TokenType type) {
        return switch (type) {
            case IDENTIFIER, METRIC_IDENTIFIER, BOOL, BY, GROUP_LEFT, GROUP_RIGHT, IGNORING, LAND, LOR, LUNLESS,
                    OFFSET, ON, START, END, ATAN2 -> true;
            default -> type.isAggregator();
        };
    }

    // ---------------------------------------------------------------------------------------------------------
    // Literals

    private double number(Token t) {
        try {
            return GoNumbers.parse(t.text());
        } catch (IllegalArgumentException e) {
            addError(range(t), "error parsing number: " + e.getMessage());
            return 0;
        }
    }

    private long durationMillis(Token t) {
        try {
            return Durations.parseMillis(t.text());
        } catch (IllegalArgumentException e) {
            addError(range(t), e.getMessage());
            return 0;
        }
    }

    /** A range, step or offset written as a number (float seconds) or a duration. */
    private long literalMillis(Token t) {
        if (t.type() == TokenType.DURATION) {
            return durationMillis(t);
        }
        return (long) (number(t) * 1000);
    }

    private static boolean isNumberOrDuration(Token t) {
        return t.type() == TokenType.NUMBER || t.type() == TokenType.DURATION;
    }

    private static BinaryOp binaryOp(TokenType type) {
        return switch (type) {
            case ADD -> BinaryOp.ADD;
            case SUB -> BinaryOp.SUB;
            case MUL -> BinaryOp.MUL;
            case DIV -> BinaryOp.DIV;
            case MOD -> BinaryOp.MOD;
            case POW -> BinaryOp.POW;
            case ATAN2 -> BinaryOp.ATAN2;
            case EQLC -> BinaryOp.EQL;
            case NEQ -> BinaryOp.NEQ;
            case GTR -> BinaryOp.GTR;
            case LSS -> BinaryOp.LSS;
            case GTE -> BinaryOp.GTE;
            case LTE -> BinaryOp.LTE;
            case LAND -> BinaryOp.AND;
            case LOR -> BinaryOp.OR;
            case LUNLESS -> BinaryOp.UNLESS;
            default -> null;
        };
    }

    // ---------------------------------------------------------------------------------------------------------
    // Token stream and errors

    private Token peek() {
        if (current == null) {
            current = lexer.next();
        }
        if (current.type() == TokenType.ERROR) {
            throw firstError(error(new PositionRange(current.start(), current.end()), current.text()));
        }
        return current;
    }

    private Token peekSecond() {
        peek();
        if (second == null) {
            second = lexer.next();
        }
        return second;
    }

    private Token advance() {
        Token t = peek();
        current = second;
        second = null;
        lastEnd = t.end();
        return t;
    }

    private PositionRange extend(PositionRange position) {
        return span(position.start(), Math.max(position.end(), lastEnd));
    }

    private static PositionRange range(Token t) {
        return new PositionRange(t.start(), t.end());
    }

    private static PositionRange span(int start, int end) {
        return new PositionRange(start, Math.max(start, end));
    }

    private ParseException error(PositionRange position, String message) {
        return new ParseException(input, position, message);
    }

    private void addError(PositionRange position, String message) {
        parseErrors.add(error(position, message));
    }

    /** The error to report: an earlier recorded error wins over the one just found, as in Prometheus. */
    private ParseException firstError(ParseException found) {
        return parseErrors.isEmpty() ? found : parseErrors.get(0);
    }

    /** "unexpected X[ in context][, expected Y]" about the current token. */
    private ParseException unexpected(String context, String expected) {
        Token t = peek();
        String effectiveContext = context.isEmpty() && aggregationDepth > 0 ? "aggregation" : context;
        StringBuilder message = new StringBuilder("unexpected ").append(t.describe());
        if (!effectiveContext.isEmpty()) {
            message.append(" in ").append(effectiveContext);
        }
        if (!expected.isEmpty()) {
            message.append(", expected ").append(expected);
        }
        return firstError(error(range(t), message.toString()));
    }
}
