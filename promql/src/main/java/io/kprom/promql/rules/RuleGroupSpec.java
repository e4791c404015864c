package io.kprom.promql.rules;

import io.kprom.common.labels.Labels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One validated rule group of a rule file. Immutable.
 *
 * @param file the file it came from (groups are identified by file and name, as in Prometheus)
 * @param name the group name, unique within its file
 * @param interval the group's {@code interval}, or null to use the global evaluation interval
 * @param queryOffset the group's {@code query_offset}, or null to use the global rule query offset
 * @param limit the group's {@code limit} (0 means no limit)
 * @param labels the group's {@code labels} (already merged into each rule's labels)
 * @param rules the rules in evaluation order
 */
public record RuleGroupSpec(Path file, String name, Duration interval, Duration queryOffset, int limit, Labels labels,
        List<RuleSpec> rules) {
    public RuleGroupSpec {
        Objects.requireNonNull(file);
        Objects.requireNonNull(name);
        Objects.requireNonNull(labels);
        rules = List.copyOf(rules);
    }

    /** {@code interval} when set, else the given default. */
    public Duration intervalOr(Duration defaultInterval) {
        return interval == null ? defaultInterval : interval;
    }

    /** {@code query_offset} when set, else the given default. */
    public Duration queryOffsetOr(Duration defaultOffset) {
        return queryOffset == null ? defaultOffset : queryOffset;
    }

    /** Prometheus's group key: {@code file;name}. */
    public String key() {
        return file + ";" + name;
    }
}
