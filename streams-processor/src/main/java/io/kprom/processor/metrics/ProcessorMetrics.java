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
    /**
     * Input records deleted by Kafka's retention before the processor read them, by topic (also counted in
     * {@link #RECORDS_DROPPED} with reason {@code retention}).
     */
    public static final Counter RETENTION_DROPPED_RECORDS = Counter.builder()
            .name("kprom_processor_retention_dropped_records")
            .help("Input records deleted by Kafka retention before the processor read them, by topic. Records, not"
                    + " samples: the sample count of a deleted record is unknowable.")
            .labelNames("topic").register();
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

    public static final Counter RULE_EVALUATIONS = io.kprom.promql.rules.RuleMetrics.EVALUATIONS;
    public static final Counter RULE_EVALUATION_FAILURES = io.kprom.promql.rules.RuleMetrics.EVALUATION_FAILURES;
    public static final Counter RULE_GROUP_ITERATIONS = io.kprom.promql.rules.RuleMetrics.GROUP_ITERATIONS;
    public static final Counter RULE_GROUP_ITERATIONS_MISSED = io.kprom.promql.rules.RuleMetrics.GROUP_ITERATIONS_MISSED;
    public static final Gauge RULE_GROUP_LAST_DURATION = io.kprom.promql.rules.RuleMetrics.GROUP_LAST_DURATION;
    public static final Gauge RULE_GROUP_LAST_EVALUATION = io.kprom.promql.rules.RuleMetrics.GROUP_LAST_EVALUATION;
    public static final Gauge RULE_GROUP_LAST_SAMPLES = io.kprom.promql.rules.RuleMetrics.GROUP_LAST_SAMPLES;

    private ProcessorMetrics() {
    }

    /** Ensures the class (and so every metric) is registered. */
    public static void init() {
        // Loading the class registers the static metrics.
    }
}
