package io.kprom.promql.rules;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;

/**
 * Prometheus's rule-group self-metrics, registered once per JVM and shared by every rule runner
 * (the processor's recording rules and the evaluator's alerting rules run in one JVM in
 * {@code kprom standalone}). Labelled by {@code rule_group} ({@code file;group}).
 */
public final class RuleMetrics {
    public static final Counter EVALUATIONS = Counter.builder().name("prometheus_rule_evaluations_total")
            .help("The total number of rule evaluations.").labelNames("rule_group").register();
    public static final Counter EVALUATION_FAILURES = Counter.builder().name("prometheus_rule_evaluation_failures_total")
            .help("The total number of rule evaluation failures.").labelNames("rule_group").register();
    public static final Counter GROUP_ITERATIONS = Counter.builder().name("prometheus_rule_group_iterations_total")
            .help("The total number of scheduled rule group evaluations, whether executed or missed.")
            .labelNames("rule_group").register();
    public static final Counter GROUP_ITERATIONS_MISSED = Counter.builder()
            .name("prometheus_rule_group_iterations_missed_total")
            .help("The total number of rule group evaluations missed due to slow rule group evaluation.")
            .labelNames("rule_group").register();
    public static final Gauge GROUP_LAST_DURATION = Gauge.builder().name("prometheus_rule_group_last_duration_seconds")
            .help("The duration of the last rule group evaluation.").labelNames("rule_group").register();
    public static final Gauge GROUP_LAST_EVALUATION = Gauge.builder()
            .name("prometheus_rule_group_last_evaluation_timestamp_seconds")
            .help("The timestamp of the last rule group evaluation in seconds.").labelNames("rule_group").register();
    public static final Gauge GROUP_LAST_SAMPLES = Gauge.builder().name("prometheus_rule_group_last_evaluation_samples")
            .help("The number of samples returned during the last rule group evaluation.").labelNames("rule_group")
            .register();

    private RuleMetrics() {
    }
}
