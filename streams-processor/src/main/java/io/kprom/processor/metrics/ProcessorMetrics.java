package io.kprom.processor.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;

/**
 * The processor's self-metrics, registered once per JVM in the default registry (tests create
 * many topologies, so the metrics are static). All methods are thread-safe.
 */
public final class ProcessorMetrics {
    /** Records read per input topic. */
    public static final Counter RECORDS_IN = Counter.builder().name("kprom_processor_records_in")
            .help("Records read by the streams processor, by topic.").labelNames("topic").register();
    /** Records written per output topic. */
    public static final Counter RECORDS_OUT = Counter.builder().name("kprom_processor_records_out")
            .help("Records written by the streams processor, by topic.").labelNames("topic").register();
    /** Whole records that could not be used (undecodable, processing error). */
    public static final Counter RECORDS_DROPPED = Counter.builder().name("kprom_processor_records_dropped")
            .help("Input records dropped by the streams processor, by reason.").labelNames("reason").register();
    public static final Counter SAMPLES_IN = Counter.builder().name("kprom_processor_samples_in")
            .help("Samples read from metrics.raw (scraped and remote-written).").register();
    public static final Counter SAMPLES_OUT = Counter.builder().name("kprom_processor_samples_out")
            .help("Samples written to metrics.samples, including synthetic series, stale markers and recording rule results.")
            .labelNames("kind").register();
    /** Samples not written, by reason and scrape job. */
    public static final Counter SAMPLES_DROPPED = Counter.builder().name("kprom_processor_samples_dropped")
            .help("Samples dropped by the streams processor, by reason and job.").labelNames("reason", "job").register();
    /** Scrapes failed by a limit (reason is the limit name). */
    public static final Counter SCRAPES_FAILED = Counter.builder().name("kprom_processor_scrapes_failed")
            .help("Scrapes the processor failed because of a limit (up = 0), by reason and job.")
            .labelNames("reason", "job").register();
    public static final Counter STALE_MARKERS = Counter.builder().name("kprom_processor_stale_markers")
            .help("Stale markers written, by cause.").labelNames("cause").register();
    public static final Counter TARGETS_EXPIRED = Counter.builder().name("kprom_processor_targets_expired")
            .help("Targets expired after missing too many scrape intervals.").register();
    public static final Counter METADATA_OUT = Counter.builder().name("kprom_processor_metadata_updates")
            .help("Metric metadata records published to metrics.metadata (deduplicated).").register();

    public static final Counter RULE_EVALUATIONS = Counter.builder().name("prometheus_rule_evaluations")
            .help("The total number of rule evaluations.").labelNames("rule_group").register();
    public static final Counter RULE_EVALUATION_FAILURES = Counter.builder().name("prometheus_rule_evaluation_failures")
            .help("The total number of rule evaluation failures.").labelNames("rule_group").register();
    public static final Counter RULE_GROUP_ITERATIONS = Counter.builder().name("prometheus_rule_group_iterations")
            .help("The total number of scheduled rule group evaluations, whether executed or missed.")
            .labelNames("rule_group").register();
    public static final Counter RULE_GROUP_ITERATIONS_MISSED = Counter.builder().name("prometheus_rule_group_iterations_missed")
            .help("The total number of rule group evaluations missed due to slow rule group evaluation.")
            .labelNames("rule_group").register();
    public static final Gauge RULE_GROUP_LAST_DURATION = Gauge.builder().name("prometheus_rule_group_last_duration_seconds")
            .help("The duration of the last rule group evaluation.").labelNames("rule_group").register();
    public static final Gauge RULE_GROUP_LAST_EVALUATION = Gauge.builder().name("prometheus_rule_group_last_evaluation_timestamp_seconds")
            .help("The timestamp of the last rule group evaluation in seconds.").labelNames("rule_group").register();
    public static final Gauge RULE_GROUP_LAST_SAMPLES = Gauge.builder().name("prometheus_rule_group_last_evaluation_samples")
            .help("The number of samples returned during the last rule group evaluation.").labelNames("rule_group").register();

    private ProcessorMetrics() {
    }

    /** Ensures the class (and so every metric) is registered. */
    public static void init() {
        // Loading the class registers the static metrics.
    }
}
