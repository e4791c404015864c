package io.kprom.promql.ast;

/** Unary operators. */
public enum UnaryOp {
    MINUS("-"), PLUS("+");

    private final String symbol;

    UnaryOp(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }
}
