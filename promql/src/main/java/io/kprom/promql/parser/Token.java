package io.kprom.promql.parser;

/** One lexed token; {@code text} is the raw source text (or the message for {@link TokenType#ERROR}). */
record Token(TokenType type, int start, int end, String text) {

    /** Describes the token for "unexpected ..." messages, the way Prometheus does. */
    String describe() {
        return switch (type) {
            case EOF -> "end of input";
            case ERROR -> text;
            case IDENTIFIER -> "identifier " + GoStrings.quote(text);
            case METRIC_IDENTIFIER -> "metric identifier " + GoStrings.quote(text);
            case STRING -> "string " + shortQuote(text);
            case NUMBER -> "number " + shortQuote(text);
            case DURATION -> "duration " + shortQuote(text);
            default -> {
                if (type.isKeyword()) {
                    yield "<" + text + ">";
                } else if (type.isOperator()) {
                    yield "<op:" + text + ">";
                } else if (type.isAggregator()) {
                    yield "<aggr:" + text + ">";
                }
                yield shortQuote(text);
            }
        };
    }

    private static String shortQuote(String s) {
        if (s.codePointCount(0, s.length()) > 10) {
            return GoStrings.quote(s.substring(0, s.offsetByCodePoints(0, 10))) + "...";
        }
        return GoStrings.quote(s);
    }
}
