package io.kprom.promql.parser;

import java.util.Locale;

/** Converts number tokens like Prometheus: Go's {@code ParseInt(s, 0, 64)}, falling back to {@code ParseFloat}. */
final class GoNumbers {
    private GoNumbers() {
    }

    /** Throws IllegalArgumentException with a Go-like message for text that is no valid number. */
    static double parse(String s) {
        Long asInteger = parseInteger(s);
        if (asInteger != null) {
            return asInteger;
        }
        return parseFloat(s);
    }

    private static Long parseInteger(String s) {
        String digits = s;
        int base = 10;
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("0x")) {
            base = 16;
            digits = s.substring(2);
        } else if (lower.startsWith("0o")) {
            base = 8;
            digits = s.substring(2);
        } else if (lower.startsWith("0b")) {
            base = 2;
            digits = s.substring(2);
        } else if (s.length() > 1 && s.charAt(0) == '0') {
            base = 8;
            digits = s.substring(1);
        }
        if (digits.indexOf('_') >= 0) {
            if (!underscoresSeparateDigits(s)) {
                return null;
            }
            digits = digits.replace("_", "");
        }
        if (digits.isEmpty() || !allDigits(digits, base)) {
            return null; // not an integer literal: checked up front because exceptions are slow
        }
        try {
            return Long.parseLong(digits, base);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean allDigits(String digits, int base) {
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), base) < 0) {
                return false;
            }
        }
        return true;
    }

    private static double parseFloat(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
        boolean negative = lower.startsWith("-");
        if (unsigned.equals("inf") || unsigned.equals("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (unsigned.equals("nan")) {
            return Double.NaN;
        }
        String cleaned = s;
        if (s.indexOf('_') >= 0) {
            if (!underscoresSeparateDigits(s)) {
                throw syntax(s);
            }
            cleaned = s.replace("_", "");
        }
        if (!isDecimalFloat(cleaned)) {
            throw syntax(s);
        }
        double v = Double.parseDouble(cleaned);
        if (Double.isInfinite(v)) {
            throw new IllegalArgumentException("strconv.ParseFloat: parsing " + GoStrings.quote(s) + ": value out of range");
        }
        return v;
    }

    /** Digits with an optional fraction and exponent: {@code 1}, {@code 1.}, {@code .5}, {@code 1.5e-3}. */
    private static boolean isDecimalFloat(String s) {
        int i = 0;
        int n = s.length();
        int mantissaDigits = 0;
        while (i < n && Lexer.isDigit(s.charAt(i))) {
            i++;
            mantissaDigits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && Lexer.isDigit(s.charAt(i))) {
                i++;
                mantissaDigits++;
            }
        }
        if (mantissaDigits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponentDigits = 0;
            while (i < n && Lexer.isDigit(s.charAt(i))) {
                i++;
                exponentDigits++;
            }
            if (exponentDigits == 0) {
                return false;
            }
        }
        return i == n;
    }

    /** Go's rule: each underscore must sit between two digits (or right after a base prefix). */
    private static boolean underscoresSeparateDigits(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        int i = 0;
        char previous = '^';
        if (lower.length() >= 2 && lower.charAt(0) == '0' && "xob".indexOf(lower.charAt(1)) >= 0) {
            i = 2;
            previous = '0'; // an underscore may follow the prefix
        }
        for (; i < lower.length(); i++) {
            char c = lower.charAt(i);
            boolean digit = Character.isDigit(c) || (c >= 'a' && c <= 'f' && lower.startsWith("0x"));
            if (c == '_') {
                if (previous != '0') {
                    return false;
                }
                previous = '_';
            } else {
                if (previous == '_' && !digit) {
                    return false;
                }
                previous = digit ? '0' : '!';
            }
        }
        return previous != '_';
    }

    private static IllegalArgumentException syntax(String s) {
        return new IllegalArgumentException("strconv.ParseFloat: parsing " + GoStrings.quote(s) + ": invalid syntax");
    }
}
