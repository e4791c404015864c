package io.kprom.promql.ast;

/** Binary operators with Prometheus's precedence (higher binds tighter) and associativity. */
public enum BinaryOp {
    ADD("+", 4), SUB("-", 4),
    MUL("*", 5), DIV("/", 5), MOD("%", 5), ATAN2("atan2", 5),
    POW("^", 6),
    EQL("==", 3), NEQ("!=", 3), GTR(">", 3), LSS("<", 3), GTE(">=", 3), LTE("<=", 3),
    AND("and", 2), UNLESS("unless", 2),
    OR("or", 1);

    private final String symbol;
    private final int precedence;

    BinaryOp(String symbol, int precedence) {
        this.symbol = symbol;
        this.precedence = precedence;
    }

    /** How the operator is written in PromQL. */
    public String symbol() {
        return symbol;
    }

    /** 1 (or) to 6 (^). */
    public int precedence() {
        return precedence;
    }

    /** Only {@code ^} is right-associative. */
    public boolean isRightAssociative() {
        return this == POW;
    }

    public boolean isComparison() {
        return precedence == 3;
    }

    /** and, or, unless. */
    public boolean isSetOperator() {
        return this == AND || this == OR || this == UNLESS;
    }

    /** The operator written as {@code symbol}, or null. */
    public static BinaryOp fromSymbol(String symbol) {
        for (BinaryOp op : values()) {
            if (op.symbol.equals(symbol)) {
                return op;
            }
        }
        return null;
    }
}
