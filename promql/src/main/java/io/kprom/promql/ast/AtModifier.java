package io.kprom.promql.ast;

import java.util.Objects;

/**
 * The {@code @} modifier of a selector or subquery: a fixed timestamp ({@code @ 1609746000}) or the query's
 * {@code start()} / {@code end()}.
 *
 * @param kind            which form
 * @param timestampMillis the fixed timestamp in milliseconds (rounded from float seconds); 0 unless kind is TIMESTAMP
 */
public record AtModifier(Kind kind, long timestampMillis) {
    public enum Kind { TIMESTAMP, START, END }

    public static final AtModifier START = new AtModifier(Kind.START, 0);
    public static final AtModifier END = new AtModifier(Kind.END, 0);

    public AtModifier {
        Objects.requireNonNull(kind, "kind");
        if (kind != Kind.TIMESTAMP && timestampMillis != 0) {
            throw new IllegalArgumentException("@ " + kind + " has no timestamp");
        }
    }

    public static AtModifier at(long timestampMillis) {
        return new AtModifier(Kind.TIMESTAMP, timestampMillis);
    }

    /** The timestamp this modifier pins evaluation to, given the query's start and end. */
    public long resolve(long queryStartMillis, long queryEndMillis) {
        return switch (kind) {
            case TIMESTAMP -> timestampMillis;
            case START -> queryStartMillis;
            case END -> queryEndMillis;
        };
    }
}
