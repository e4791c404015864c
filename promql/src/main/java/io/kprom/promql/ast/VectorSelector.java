package io.kprom.promql.ast;

import io.kprom.common.labels.LabelMatcher;
import java.util.List;
import java.util.Objects;

/**
 * An instant vector selector {@code name{matchers} offset 5m @ 123}.
 *
 * @param name         the metric name when written outside the braces (or as a quoted name inside them); null otherwise
 * @param matchers     all matchers, including the {@code __name__="name"} matcher when a name was given
 * @param offsetMillis the {@code offset} (negative allowed); 0 when absent
 * @param at           the {@code @} modifier, or null
 */
public record VectorSelector(String name, List<LabelMatcher> matchers, long offsetMillis, AtModifier at,
        PositionRange position) implements Expr {
    public VectorSelector {
        matchers = List.copyOf(matchers);
        Objects.requireNonNull(position, "position");
    }

    public VectorSelector(String name, List<LabelMatcher> matchers) {
        this(name, matchers, 0, null, PositionRange.NONE);
    }

    public VectorSelector withOffsetMillis(long newOffsetMillis) {
        return new VectorSelector(name, matchers, newOffsetMillis, at, position);
    }

    public VectorSelector withAt(AtModifier newAt) {
        return new VectorSelector(name, matchers, offsetMillis, newAt, position);
    }

    public VectorSelector withPosition(PositionRange newPosition) {
        return new VectorSelector(name, matchers, offsetMillis, at, newPosition);
    }

    @Override
    public ValueType type() {
        return ValueType.VECTOR;
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.visitVectorSelector(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VectorSelector v && Objects.equals(v.name, name) && v.matchers.equals(matchers)
                && v.offsetMillis == offsetMillis && Objects.equals(v.at, at);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, matchers, offsetMillis, at);
    }
}
