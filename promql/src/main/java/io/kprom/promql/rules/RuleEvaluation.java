package io.kprom.promql.rules;

import io.kprom.common.labels.Labels;

/**
 * Everything one rule needs for one evaluation.
 *
 * @param timestampMillis the group's evaluation timestamp (alert times are taken from it)
 * @param queryOffsetMillis the group's query offset: queries run, and results are stamped, at
 *     {@code timestampMillis - queryOffsetMillis}
 * @param query the query function (sees results of earlier rules of this evaluation)
 * @param limit the group's {@code limit}, 0 for none
 * @param externalLabels for {@code $externalLabels} in templates
 * @param externalUrl for {@code $externalURL} in templates
 */
public record RuleEvaluation(long timestampMillis, long queryOffsetMillis, QueryFunction query, int limit,
        Labels externalLabels, String externalUrl) {
    public long queryTimeMillis() {
        return timestampMillis - queryOffsetMillis;
    }
}
