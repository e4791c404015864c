package io.kprom.promql.parser;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Go-compatible string quoting and unquoting, so messages and printed queries read as Prometheus's do. */
final class GoStrings {
    private GoStrings() {
    }

    /** Like Go's {@code strconv.Quote}: double-quoted with Go escapes for control and non-printable characters. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        b.append('"');
        appendEscaped(b, s, '"');
        return b.append('"').toString();
    }

    /** Like Go's {@code %q} for a rune: single-quoted. */
    static String quoteRune(int codePoint) {
        if (codePoint < 0) {
            return "'\\x00'".replace("\\x00", "\\ufffd");
        }
        StringBuilder b = new StringBuilder("'");
        appendEscaped(b, new String(Character.toChars(codePoint)), '\'');
        return b.append('\'').toString();
    }

    /** Like Go's {@code %#U}: {@code U+0071 'q'}. */
    static String formatCodePoint(int codePoint) {
        String hex = String.format("U+%04X", codePoint);
        return isPrintable(codePoint) ? hex + " '" + new String(Character.toChars(codePoint)) + "'" : hex;
    }

    static void appendEscaped(StringBuilder b, String s, char quote) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == quote || cp == '\\') {
                b.append('\\').appendCodePoint(cp);
                continue;
            }
            if (isPrintable(cp)) {
                b.appendCodePoint(cp);
                continue;
            }
            switch (cp) {
                case 0x07 -> b.append("\\a");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case 0x0b -> b.append("\\v");
                default -> {
                    if (cp < ' ' || cp == 0x7f) {
                        b.append(String.format("\\x%02x", cp));
                    } else if (cp < 0x10000) {
                        b.append(String.format("\\u%04x", cp));
                    } else {
                        b.append(String.format("\\U%08x", cp));
                    }
                }
            }
        }
    }

    /** Approximates Go's {@code strconv.IsPrint}: letters, marks, numbers, punctuation, symbols and ASCII space. */
    static boolean isPrintable(int cp) {
        if (cp == ' ') {
            return true;
        }
        if (cp < ' ' || cp == 0x7f || Character.isSurrogate((char) Math.min(cp, 0xffff)) && cp < 0x10000) {
            return false;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
                    Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
                    Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                    Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                    Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }

    /**
     * Unquotes a string token already validated by the lexer ({@code "..."}, {@code '...'} or a raw back-quoted
     * string). Octal and {@code \x} escapes produce bytes, as in Go; the result is decoded as UTF-8.
     */
    static String unquote(String token) {
        char quote = token.charAt(0);
        String body = token.substring(1, token.length() - 1);
        if (quote == '`' || body.indexOf('\\') < 0) {
            return body;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length());
        StringBuilder pending = new StringBuilder();
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c != '\\') {
                pending.append(c);
                i++;
                continue;
            }
            flush(pending, bytes);
            char e = body.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'a' -> bytes.write(0x07);
                case 'b' -> bytes.write('\b');
                case 'f' -> bytes.write('\f');
                case 'n' -> bytes.write('\n');
                case 'r' -> bytes.write('\r');
                case 't' -> bytes.write('\t');
                case 'v' -> bytes.write(0x0b);
                case 'x' -> {
                    bytes.write(Integer.parseInt(body.substring(i, i + 2), 16));
                    i += 2;
                }
                case 'u', 'U' -> {
                    int n = e == 'u' ? 4 : 8;
                    int cp = Integer.parseInt(body.substring(i, i + n), 16);
                    i += n;
                    pending.appendCodePoint(cp);
                    flush(pending, bytes);
                }
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    bytes.write(Integer.parseInt(body.substring(i - 1, i + 2), 8));
                    i += 2;
                }
                default -> bytes.write(e); // \\, \" and \'
            }
        }
        flush(pending, bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void flush(StringBuilder pending, ByteArrayOutputStream bytes) {
        if (pending.length() > 0) {
            bytes.writeBytes(pending.toString().getBytes(StandardCharsets.UTF_8));
            pending.setLength(0);
        }
    }
}
