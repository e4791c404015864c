package io.kprom.promql.parser;

import io.kprom.promql.ast.PositionRange;
import java.nio.charset.StandardCharsets;

/**
 * A PromQL syntax or type error. {@link #getMessage()} reads like Prometheus's:
 * {@code 1:14: parse error: unexpected <by> in aggregation}, where line and column are 1-based and the column
 * counts UTF-8 bytes, as Prometheus does.
 */
public final class ParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient PositionRange position;
    private final String detail;
    private final int line;
    private final int column;

    public ParseException(String query, PositionRange position, String detail) {
        super(format(query, position, detail));
        this.position = position;
        this.detail = detail;
        int[] lineColumn = lineColumn(query, position.start());
        this.line = lineColumn[0];
        this.column = lineColumn[1];
    }

    /** Where in the query the error is (character offsets). */
    public PositionRange position() {
        return position;
    }

    /** The message without the {@code line:col: parse error: } prefix. */
    public String detail() {
        return detail;
    }

    /** 1-based line of the error. */
    public int line() {
        return line;
    }

    /** 1-based column of the error, in UTF-8 bytes from the start of the line. */
    public int column() {
        return column;
    }

    private static String format(String query, PositionRange position, String detail) {
        int[] lineColumn = lineColumn(query, position.start());
        return lineColumn[0] + ":" + lineColumn[1] + ": parse error: " + detail;
    }

    private static int[] lineColumn(String query, int offset) {
        int end = Math.min(offset, query.length());
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < end; i++) {
            if (query.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int column = query.substring(lineStart, end).getBytes(StandardCharsets.UTF_8).length + 1;
        return new int[] {line, column};
    }
}
