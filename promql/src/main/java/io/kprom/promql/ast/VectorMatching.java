package io.kprom.promql.ast;

import java.util.List;
import java.util.Objects;

/**
 * How a binary operation between two instant vectors matches series.
 *
 * @param cardinality    one-to-one, many-to-one ({@code group_left}), one-to-many ({@code group_right}),
 *                       or many-to-many (set operators)
 * @param matchingLabels labels of {@code on(...)} / {@code ignoring(...)}
 * @param on             true for {@code on}, false for {@code ignoring} or no clause; {@code on()} with no labels
 *                       matches all series to each other, unlike no clause
 * @param include        extra labels of {@code group_left(...)} / {@code group_right(...)} copied from the "one" side
 */
public record VectorMatching(Cardinality cardinality, List<String> matchingLabels, boolean on, List<String> include) {
    public enum Cardinality { ONE_TO_ONE, MANY_TO_ONE, ONE_TO_MANY, MANY_TO_MANY }

    public VectorMatching {
        Objects.requireNonNull(cardinality, "cardinality");
        matchingLabels = List.copyOf(matchingLabels);
        include = List.copyOf(include);
    }

    /** One-to-one matching on all labels (no clause). */
    public static VectorMatching oneToOne() {
        return new VectorMatching(Cardinality.ONE_TO_ONE, List.of(), false, List.of());
    }
}
