package io.kprom.promql.rules;

import io.kprom.common.labels.Labels;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One rule as written in a rule file, validated. Immutable. Labels already include the group's
 * {@code labels} (a rule's own labels win), as Prometheus merges them at load time.
 */
public sealed interface RuleSpec {
    /** The {@code record} or {@code alert} name. */
    String name();

    String expr();

    Labels labels();

    /** A recording rule: {@code record}, {@code expr}, {@code labels}. */
    record Recording(String name, String expr, Labels labels) implements RuleSpec {
        public Recording {
            Objects.requireNonNull(name);
            Objects.requireNonNull(expr);
            Objects.requireNonNull(labels);
        }
    }

    /**
     * An alerting rule. Label values and annotations are templates, checked at load time.
     *
     * @param holdDuration the {@code for} duration
     * @param keepFiringFor the {@code keep_firing_for} duration
     * @param annotations name to template text, in file order
     */
    record Alerting(String name, String expr, Duration holdDuration, Duration keepFiringFor, Labels labels,
            Map<String, String> annotations) implements RuleSpec {
        public Alerting {
            Objects.requireNonNull(name);
            Objects.requireNonNull(expr);
            Objects.requireNonNull(holdDuration);
            Objects.requireNonNull(keepFiringFor);
            Objects.requireNonNull(labels);
            annotations = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(annotations));
        }
    }
}
