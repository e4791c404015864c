package io.kprom.promql.ast;

/**
 * Half-open range {@code [start, end)} of character offsets into the query text that a node was parsed from.
 * Positions never take part in AST equality: two trees that differ only in positions are equal.
 */
public record PositionRange(int start, int end) {
    /** Position of nodes built in code rather than parsed. */
    public static final PositionRange NONE = new PositionRange(0, 0);

    public PositionRange {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("invalid position range [" + start + ", " + end + ")");
        }
    }

    /** The smallest range covering both. */
    public PositionRange union(PositionRange other) {
        return new PositionRange(Math.min(start, other.start), Math.max(end, other.end));
    }
}
