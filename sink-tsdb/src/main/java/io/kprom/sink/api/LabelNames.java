package io.kprom.sink.api;

import java.nio.charset.StandardCharsets;

/**
 * Label names in URL paths: Prometheus 3 accepts any UTF-8 name, and names that cannot travel in a
 * path segment come escaped with the {@code U__} value encoding ({@code U__my_2e_label} is
 * {@code my.label}, {@code __} is {@code _}). Stateless.
 */
final class LabelNames {
    private LabelNames() {
    }

    static boolean valid(String name) {
        return !name.isEmpty() && StandardCharsets.UTF_8.newEncoder().canEncode(name);
    }

    /** Decodes {@code U__} escaping; other names are returned unchanged, as are invalid escapes. */
    static String unescape(String name) {
        if (!name.startsWith("U__")) {
            return name;
        }
        String body = name.substring(3);
        StringBuilder out = new StringBuilder(body.length());
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c != '_') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 < body.length() && body.charAt(i + 1) == '_') {
                out.append('_');
                i += 2;
                continue;
            }
            int close = body.indexOf('_', i + 1);
            if (close < 0) {
                return name;
            }
            try {
                out.appendCodePoint(Integer.parseInt(body.substring(i + 1, close), 16));
            } catch (IllegalArgumentException e) {
                return name;
            }
            i = close + 1;
        }
        return out.toString();
    }
}
