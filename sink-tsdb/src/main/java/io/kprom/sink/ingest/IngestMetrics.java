package io.kprom.sink.ingest;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;

/** Self-metrics of the ingest consumer, registered once per JVM. */
final class IngestMetrics {
    static final Counter RECORDS = Counter.builder().name("kprom_sink_records_consumed_total")
            .help("Records of metrics.samples consumed.").register();
    static final Counter RECORDS_SKIPPED = Counter.builder().name("kprom_sink_records_skipped_total")
            .help("Records skipped without storing anything, by reason.").labelNames("reason").register();
    static final Counter RECORDS_DROPPED = Counter.builder().name("kprom_sink_records_dropped_total")
            .help("Records of metrics.samples lost before the sink read them, by reason (retention: deleted by Kafka"
                    + " retention; records, not samples, since the sample count of a deleted record is unknowable).")
            .labelNames("reason").register();
    static final Counter SAMPLES_DROPPED = Counter.builder().name("kprom_sink_samples_dropped_total")
            .help("Samples dropped before reaching the TSDB, by reason.").labelNames("reason").register();
    static final Gauge LAG = Gauge.builder().name("kprom_sink_consumer_lag_records")
            .help("Records between the sink's position and the end of its assigned partitions.").register();

    private IngestMetrics() {
    }
}
