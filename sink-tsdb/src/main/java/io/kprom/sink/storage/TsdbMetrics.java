package io.kprom.sink.storage;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;

/** The store's self-metrics, registered once per JVM (names as Prometheus's TSDB uses them). */
final class TsdbMetrics {
    static final Gauge HEAD_SERIES = Gauge.builder().name("prometheus_tsdb_head_series")
            .help("Total number of series in the head block.").register();
    static final Gauge HEAD_CHUNKS = Gauge.builder().name("prometheus_tsdb_head_chunks")
            .help("Total number of chunks in the head block.").register();
    static final Counter SAMPLES_APPENDED = Counter.builder().name("prometheus_tsdb_head_samples_appended_total")
            .help("Total number of appended samples.").labelNames("type").register();
    static final Counter OUT_OF_ORDER_APPENDED = Counter.builder()
            .name("prometheus_tsdb_head_out_of_order_samples_appended_total")
            .help("Total number of appended out-of-order samples.").labelNames("type").register();
    static final Counter OUT_OF_ORDER_REJECTED = Counter.builder().name("prometheus_tsdb_out_of_order_samples_total")
            .help("Total number of out-of-order samples ingestion failed attempts due to out-of-order being disabled or outside the window.")
            .labelNames("type").register();
    static final Counter TOO_OLD_REJECTED = Counter.builder().name("prometheus_tsdb_too_old_samples_total")
            .help("Total number of samples rejected as older than the retention horizon.").labelNames("type").register();
    static final Counter REJECTED = Counter.builder().name("kprom_tsdb_samples_rejected_total")
            .help("Samples not stored, by reason (out_of_order, too_old, duplicate_timestamp).")
            .labelNames("reason").register();
    static final Counter TIME_RETENTIONS = Counter.builder().name("prometheus_tsdb_time_retentions_total")
            .help("The number of times that blocks were deleted because the maximum time limit was exceeded.").register();
    static final Counter SIZE_RETENTIONS = Counter.builder().name("prometheus_tsdb_size_retentions_total")
            .help("The number of times that blocks were deleted because the maximum number of bytes was exceeded.").register();
    static final Gauge STORAGE_BYTES = Gauge.builder().name("prometheus_tsdb_storage_blocks_bytes")
            .help("The number of bytes that are currently used for local storage by all blocks.").register();
    static final Gauge RETENTION_LIMIT_BYTES = Gauge.builder().name("prometheus_tsdb_retention_limit_bytes")
            .help("Max number of bytes to be retained in the tsdb blocks, configured 0 means disabled").register();
    static final Histogram FLUSH_SECONDS = Histogram.builder().name("kprom_tsdb_head_flush_duration_seconds")
            .help("Time to write the head and source offsets in one RocksDB write batch.").register();
    static final Counter SERIES_CREATED = Counter.builder().name("prometheus_tsdb_head_series_created_total")
            .help("Total number of series created in the head").register();
    static final Counter SERIES_REMOVED = Counter.builder().name("prometheus_tsdb_head_series_removed_total")
            .help("Total number of series removed in the head").register();

    /** Hot-path data points, resolved once (label lookups per append are measurable). */
    static final io.prometheus.metrics.core.datapoints.CounterDataPoint FLOAT_SAMPLES_APPENDED = SAMPLES_APPENDED.labelValues("float");
    static final io.prometheus.metrics.core.datapoints.CounterDataPoint FLOAT_OUT_OF_ORDER_APPENDED = OUT_OF_ORDER_APPENDED.labelValues("float");

    private TsdbMetrics() {
    }
}
