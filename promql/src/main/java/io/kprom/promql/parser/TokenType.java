package io.kprom.promql.parser;

/** Kinds of PromQL tokens. */
enum TokenType {
    EOF, ERROR, IDENTIFIER, METRIC_IDENTIFIER, NUMBER, DURATION, STRING,
    LEFT_PAREN, RIGHT_PAREN, LEFT_BRACE, RIGHT_BRACE, LEFT_BRACKET, RIGHT_BRACKET, COMMA, EQL, COLON,
    // operators
    SUB, ADD, MUL, MOD, DIV, LAND, LOR, LUNLESS, EQLC, NEQ, LTE, LSS, GTE, GTR, EQL_REGEX, NEQ_REGEX, POW, ATAN2,
    // aggregators
    AVG, BOTTOMK, COUNT, COUNT_VALUES, GROUP, MAX, MIN, QUANTILE, STDDEV, STDVAR, SUM, TOPK, LIMITK, LIMIT_RATIO,
    // keywords
    OFFSET, BY, WITHOUT, ON, IGNORING, GROUP_LEFT, GROUP_RIGHT, BOOL,
    // @ modifier preprocessors
    START, END,
    AT;

    boolean isOperator() {
        return ordinal() >= SUB.ordinal() && ordinal() <= ATAN2.ordinal();
    }

    boolean isAggregator() {
        return ordinal() >= AVG.ordinal() && ordinal() <= LIMIT_RATIO.ordinal();
    }

    boolean isKeyword() {
        return ordinal() >= OFFSET.ordinal() && ordinal() <= BOOL.ordinal();
    }
}
