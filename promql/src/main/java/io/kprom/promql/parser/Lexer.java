package io.kprom.promql.parser;

import java.util.Locale;
import java.util.Map;

/**
 * Hand-written PromQL lexer. Like Prometheus's, it is stateful (inside braces keywords are plain identifiers,
 * inside brackets only durations and {@code :} are allowed) and reports errors as an {@link TokenType#ERROR}
 * token, after which it only returns {@link TokenType#EOF}. Comments ({@code # ...}) are skipped.
 * Not thread-safe; one instance per parse.
 */
final class Lexer {
    private static final Map<String, TokenType> KEYWORDS = Map.ofEntries(
            Map.entry("and", TokenType.LAND), Map.entry("or", TokenType.LOR), Map.entry("unless", TokenType.LUNLESS),
            Map.entry("atan2", TokenType.ATAN2),
            Map.entry("sum", TokenType.SUM), Map.entry("avg", TokenType.AVG), Map.entry("count", TokenType.COUNT),
            Map.entry("min", TokenType.MIN), Map.entry("max", TokenType.MAX), Map.entry("group", TokenType.GROUP),
            Map.entry("stddev", TokenType.STDDEV), Map.entry("stdvar", TokenType.STDVAR),
            Map.entry("topk", TokenType.TOPK), Map.entry("bottomk", TokenType.BOTTOMK),
            Map.entry("count_values", TokenType.COUNT_VALUES), Map.entry("quantile", TokenType.QUANTILE),
            Map.entry("limitk", TokenType.LIMITK), Map.entry("limit_ratio", TokenType.LIMIT_RATIO),
            Map.entry("offset", TokenType.OFFSET), Map.entry("by", TokenType.BY),
            Map.entry("without", TokenType.WITHOUT), Map.entry("on", TokenType.ON),
            Map.entry("ignoring", TokenType.IGNORING), Map.entry("group_left", TokenType.GROUP_LEFT),
            Map.entry("group_right", TokenType.GROUP_RIGHT), Map.entry("bool", TokenType.BOOL),
            Map.entry("start", TokenType.START), Map.entry("end", TokenType.END),
            Map.entry("inf", TokenType.NUMBER), Map.entry("nan", TokenType.NUMBER));

    private static final int EOF_CHAR = -1;

    private final String input;
    private int pos;
    private int start;
    private int parenDepth;
    private boolean braceOpen;
    private boolean bracketOpen;
    private boolean gotColon;
    private boolean failed;

    Lexer(String input) {
        this.input = input;
    }

    /** The next token, never null; EOF forever after the end or an error. */
    Token next() {
        if (failed) {
            return new Token(TokenType.EOF, input.length(), input.length(), "");
        }
        Token token = braceOpen ? lexInsideBraces() : lexStatement();
        if (token.type() == TokenType.ERROR) {
            failed = true;
        }
        return token;
    }

    private Token lexStatement() {
        while (true) {
            skipSpacesAndComments();
            start = pos;
            int r = nextChar();
            if (r == EOF_CHAR) {
                if (parenDepth != 0) {
                    return error("unclosed left parenthesis");
                }
                if (bracketOpen) {
                    return error("unclosed left bracket");
                }
                return emit(TokenType.EOF);
            }
            switch (r) {
                case ',':
                    return emit(TokenType.COMMA);
                case '*':
                    return emit(TokenType.MUL);
                case '/':
                    return emit(TokenType.DIV);
                case '%':
                    return emit(TokenType.MOD);
                case '+':
                    return emit(TokenType.ADD);
                case '-':
                    return emit(TokenType.SUB);
                case '^':
                    return emit(TokenType.POW);
                case '@':
                    return emit(TokenType.AT);
                case '=': {
                    int t = peekChar();
                    if (t == '=') {
                        pos++;
                        return emit(TokenType.EQLC);
                    }
                    if (t == '~') {
                        return error("unexpected character after '=': " + GoStrings.quoteRune(t));
                    }
                    return emit(TokenType.EQL);
                }
                case '!': {
                    int t = nextChar();
                    if (t != '=') {
                        return error("unexpected character after '!': " + GoStrings.quoteRune(t));
                    }
                    return emit(TokenType.NEQ);
                }
                case '<':
                    if (peekChar() == '=') {
                        pos++;
                        return emit(TokenType.LTE);
                    }
                    return emit(TokenType.LSS);
                case '>':
                    if (peekChar() == '=') {
                        pos++;
                        return emit(TokenType.GTE);
                    }
                    return emit(TokenType.GTR);
                case '"', '\'':
                    return lexString((char) r);
                case '`':
                    return lexRawString();
                case '(':
                    parenDepth++;
                    return emit(TokenType.LEFT_PAREN);
                case ')': {
                    Token token = emit(TokenType.RIGHT_PAREN);
                    parenDepth--;
                    if (parenDepth < 0) {
                        start = pos;
                        return error("unexpected right parenthesis ')'");
                    }
                    return token;
                }
                case '{':
                    braceOpen = true;
                    return emit(TokenType.LEFT_BRACE);
                case '[':
                    if (bracketOpen) {
                        return error("unexpected left bracket '['");
                    }
                    gotColon = false;
                    bracketOpen = true;
                    return emit(TokenType.LEFT_BRACKET);
                case ']':
                    if (!bracketOpen) {
                        return error("unexpected right bracket ']'");
                    }
                    bracketOpen = false;
                    return emit(TokenType.RIGHT_BRACKET);
                default:
                    break;
            }
            if (isDigit(r) || (r == '.' && isDigit(peekChar()))) {
                pos = start;
                return lexNumberOrDuration();
            }
            if (isAlpha(r) || r == ':') {
                if (!bracketOpen) {
                    pos = start;
                    return lexKeywordOrIdentifier();
                }
                if (r == ':') {
                    if (gotColon) {
                        return error("unexpected colon ':'");
                    }
                    gotColon = true;
                    return emit(TokenType.COLON);
                }
                return error("unexpected character: " + GoStrings.quoteRune(r) + ", expected ':'");
            }
            return error("unexpected character: " + GoStrings.quoteRune(r));
        }
    }

    private Token lexInsideBraces() {
        skipSpacesAndComments();
        start = pos;
        int r = nextChar();
        switch (r) {
            case EOF_CHAR:
                return error("unexpected end of input inside braces");
            case ',':
                return emit(TokenType.COMMA);
            case '"', '\'':
                return lexString((char) r);
            case '`':
                return lexRawString();
            case '=':
                if (peekChar() == '~') {
                    pos++;
                    return emit(TokenType.EQL_REGEX);
                }
                return emit(TokenType.EQL);
            case '!': {
                int nr = nextChar();
                if (nr == '~') {
                    return emit(TokenType.NEQ_REGEX);
                }
                if (nr == '=') {
                    return emit(TokenType.NEQ);
                }
                return error("unexpected character after '!' inside braces: " + GoStrings.quoteRune(nr));
            }
            case '{':
                return error("unexpected left brace '{'");
            case '}':
                braceOpen = false;
                return emit(TokenType.RIGHT_BRACE);
            default:
                if (isAlpha(r)) {
                    while (isAlphaNumeric(peekChar())) {
                        pos++;
                    }
                    return emit(TokenType.IDENTIFIER);
                }
                return error("unexpected character inside braces: " + GoStrings.quoteRune(r));
        }
    }

    private void skipSpacesAndComments() {
        while (pos < input.length()) {
            char c = input.charAt(pos);
            if (isSpace(c)) {
                pos++;
            } else if (c == '#') {
                while (pos < input.length() && input.charAt(pos) != '\n' && input.charAt(pos) != '\r') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private Token lexString(char quote) {
        while (true) {
            int c = nextChar();
            if (c == '\\') {
                String escapeError = scanEscape(quote);
                if (escapeError != null) {
                    return error(escapeError);
                }
            } else if (c == EOF_CHAR || c == '\n') {
                return error("unterminated quoted string");
            } else if (c == quote) {
                return emit(TokenType.STRING);
            }
        }
    }

    /** Validates one escape sequence after a backslash; returns an error message or null. */
    private String scanEscape(char quote) {
        int ch = nextChar();
        int digits;
        int base;
        int max;
        switch (ch) {
            case 'a', 'b', 'f', 'n', 'r', 't', 'v', '\\':
                return null;
            case '0', '1', '2', '3', '4', '5', '6', '7':
                digits = 3;
                base = 8;
                max = 255;
                break;
            case 'x':
                ch = nextChar();
                digits = 2;
                base = 16;
                max = 255;
                break;
            case 'u':
                ch = nextChar();
                digits = 4;
                base = 16;
                max = Character.MAX_CODE_POINT;
                break;
            case 'U':
                ch = nextChar();
                digits = 8;
                base = 16;
                max = Character.MAX_CODE_POINT;
                break;
            case EOF_CHAR:
                return "escape sequence not terminated";
            default:
                if (ch == quote) {
                    return null;
                }
                return "unknown escape sequence " + GoStrings.formatCodePoint(ch);
        }
        long x = 0;
        while (digits > 0) {
            int d = digitValue(ch);
            if (d >= base) {
                if (ch == EOF_CHAR) {
                    return "escape sequence not terminated";
                }
                return "illegal character " + GoStrings.formatCodePoint(ch) + " in escape sequence";
            }
            x = x * base + d;
            digits--;
            if (digits > 0) {
                ch = nextChar();
            }
        }
        if (x > max || (0xD800 <= x && x < 0xE000)) {
            return "escape sequence is an invalid Unicode code point";
        }
        return null;
    }

    private Token lexRawString() {
        while (true) {
            int c = nextChar();
            if (c == EOF_CHAR) {
                return error("unterminated raw string");
            }
            if (c == '`') {
                return emit(TokenType.STRING);
            }
        }
    }

    private Token lexNumberOrDuration() {
        if (scanNumber()) {
            return emit(TokenType.NUMBER);
        }
        if (acceptRemainingDuration()) {
            pos--; // the character after the duration was consumed to check it
            return emit(TokenType.DURATION);
        }
        return error("bad number or duration syntax: " + GoStrings.quote(input.substring(start, Math.min(pos, input.length()))));
    }

    private boolean acceptRemainingDuration() {
        if (!accept("smhdwy")) {
            return false;
        }
        accept("s");
        while (accept("0123456789")) {
            while (accept("0123456789")) {
                // digits
            }
            if (!accept("smhdw")) {
                return false;
            }
            accept("s");
        }
        int r = nextChar();
        if (r == EOF_CHAR) {
            pos++; // balance the caller's step back
        }
        return !isAlphaNumeric(r);
    }

    /** Scans a number the way Prometheus's lexer does; the text is validated when converted. */
    private boolean scanNumber() {
        int initial = pos;
        String digitPattern = "0123456789";
        if (accept("0") && accept("xX")) {
            accept("_");
            digitPattern = "0123456789abcdefABCDEF";
        }
        accept(".");
        accept(digitPattern);
        boolean dotConsumed = false;
        boolean exponentConsumed = false;
        String all = digitPattern + "._eE";
        while (is(all)) {
            if (is(".") && dotConsumed) {
                accept(".");
                return false;
            }
            if (is("eE") && exponentConsumed) {
                accept("eE");
                return false;
            }
            if (accept(".")) {
                dotConsumed = true;
                if (accept("_.")) {
                    return false;
                }
                if (digitPattern.length() > 10) {
                    return false;
                }
                continue;
            }
            if (accept("eE")) {
                exponentConsumed = true;
                accept("+-");
                if (accept("._eE") || peekChar() == EOF_CHAR) {
                    return false;
                }
                continue;
            }
            if (accept("_")) {
                if (accept("._eE") || peekChar() == EOF_CHAR) {
                    return false;
                }
                continue;
            }
            while (accept(digitPattern)) {
                // digits
            }
        }
        if (pos == initial) {
            return false;
        }
        return !isAlphaNumeric(peekChar());
    }

    private Token lexKeywordOrIdentifier() {
        while (true) {
            int r = peekChar();
            if (isAlphaNumeric(r) || r == ':') {
                pos++;
            } else {
                break;
            }
        }
        String word = input.substring(start, pos);
        TokenType keyword = KEYWORDS.get(word);
        if (keyword == null && hasUpperCase(word)) {
            keyword = KEYWORDS.get(word.toLowerCase(Locale.ROOT)); // keywords are case-insensitive
        }
        if (keyword != null) {
            return emit(keyword);
        }
        return emit(word.indexOf(':') >= 0 ? TokenType.METRIC_IDENTIFIER : TokenType.IDENTIFIER);
    }

    private static boolean hasUpperCase(String word) {
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return true;
            }
        }
        return false;
    }

    private Token emit(TokenType type) {
        Token token = new Token(type, start, pos, input.substring(start, pos));
        start = pos;
        return token;
    }

    private Token error(String message) {
        return new Token(TokenType.ERROR, start, input.length(), message);
    }

    private int nextChar() {
        if (pos >= input.length()) {
            return EOF_CHAR;
        }
        int cp = input.codePointAt(pos);
        pos += Character.charCount(cp);
        return cp;
    }

    private int peekChar() {
        return pos >= input.length() ? EOF_CHAR : input.codePointAt(pos);
    }

    private boolean accept(String valid) {
        int r = peekChar();
        if (r != EOF_CHAR && r < 0x10000 && valid.indexOf(r) >= 0) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean is(String valid) {
        int r = peekChar();
        return r != EOF_CHAR && r < 0x10000 && valid.indexOf(r) >= 0;
    }

    private static int digitValue(int ch) {
        if ('0' <= ch && ch <= '9') {
            return ch - '0';
        }
        if ('a' <= ch && ch <= 'f') {
            return ch - 'a' + 10;
        }
        if ('A' <= ch && ch <= 'F') {
            return ch - 'A' + 10;
        }
        return 16;
    }

    static boolean isSpace(int r) {
        return r == ' ' || r == '\t' || r == '\n' || r == '\r';
    }

    static boolean isDigit(int r) {
        return '0' <= r && r <= '9';
    }

    static boolean isAlpha(int r) {
        return r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z');
    }

    static boolean isAlphaNumeric(int r) {
        return isAlpha(r) || isDigit(r);
    }
}
