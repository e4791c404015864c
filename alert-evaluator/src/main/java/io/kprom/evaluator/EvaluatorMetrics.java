package io.kprom.evaluator;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;

/** The evaluator's self-metrics, registered once per JVM with Prometheus's names where one exists. */
final class EvaluatorMetrics {
    static final Counter NOTIFICATIONS_SENT = Counter.builder().name("prometheus_notifications_sent_total")
            .help("Total number of alerts sent.").labelNames("alertmanager").register();
    static final Counter NOTIFICATIONS_ERRORS = Counter.builder().name("prometheus_notifications_errors_total")
            .help("Total number of sent alerts affected by errors.").labelNames("alertmanager").register();
    static final Counter NOTIFICATIONS_DROPPED = Counter.builder().name("prometheus_notifications_dropped_total")
            .help("Total number of alerts dropped due to errors when sending to Alertmanager.").register();
    static final Gauge NOTIFICATIONS_QUEUE_LENGTH = Gauge.builder().name("prometheus_notifications_queue_length")
            .help("The number of alert notifications in the queue.").register();
    static final Gauge NOTIFICATIONS_QUEUE_CAPACITY = Gauge.builder().name("prometheus_notifications_queue_capacity")
            .help("The capacity of the alert notifications queue.").register();
    static final Gauge ALERTMANAGERS_DISCOVERED = Gauge.builder().name("prometheus_notifications_alertmanagers_discovered")
            .help("The number of alertmanagers discovered and active.").register();
    static final Histogram NOTIFICATION_LATENCY = Histogram.builder().name("prometheus_notifications_latency_seconds")
            .help("Latency quantiles for sending alert notifications.").labelNames("alertmanager").register();
    static final Counter RULE_EVALUATIONS = io.kprom.promql.rules.RuleMetrics.EVALUATIONS;
    static final Counter RULE_EVALUATION_FAILURES = io.kprom.promql.rules.RuleMetrics.EVALUATION_FAILURES;
    static final Counter GROUP_ITERATIONS_MISSED = io.kprom.promql.rules.RuleMetrics.GROUP_ITERATIONS_MISSED;
    static final Gauge GROUP_LAST_DURATION = io.kprom.promql.rules.RuleMetrics.GROUP_LAST_DURATION;
    static final Counter SAMPLES_DROPPED = Counter.builder().name("kprom_evaluator_samples_dropped_total")
            .help("Samples read from metrics.samples but not kept in the rule window, by reason.")
            .labelNames("reason").register();
    static final Counter SAMPLES_KEPT = Counter.builder().name("kprom_evaluator_samples_kept_total")
            .help("Samples kept in the rule window.").register();
    static final Gauge WINDOW_SERIES = Gauge.builder().name("kprom_evaluator_window_series")
            .help("Series held in the rule window.").register();
    static final Counter RECORDING_SAMPLES_SKIPPED = Counter.builder().name("kprom_evaluator_recording_samples_skipped_total")
            .help("Recording-rule results evaluated for the group's alerting rules but not written (the processor records them).")
            .register();
    static final Counter ALERT_EVENTS = Counter.builder().name("kprom_evaluator_alert_events_total")
            .help("Alert state transitions published to the alerts topic.").labelNames("state").register();

    private EvaluatorMetrics() {
    }
}
