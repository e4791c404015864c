package io.kprom.sink.remotewrite;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;

/**
 * Self-metrics of remote write, named as Prometheus names them, labelled by {@code remote_name}
 * and {@code url}; registered once per JVM.
 */
public final class RemoteWriteMetrics {
    static final String[] LABELS = {"remote_name", "url"};

    public static final Counter SAMPLES = Counter.builder()
            .name("prometheus_remote_storage_samples_total")
            .help("Total number of samples sent to remote storage.").labelNames(LABELS).register();
    public static final Counter SAMPLES_FAILED = Counter.builder()
            .name("prometheus_remote_storage_samples_failed_total")
            .help("Total number of samples which failed on send to remote storage, non-recoverable errors.")
            .labelNames(LABELS).register();
    public static final Counter SAMPLES_RETRIED = Counter.builder()
            .name("prometheus_remote_storage_samples_retried_total")
            .help("Total number of samples which failed on send to remote storage but were retried because the send error was recoverable.")
            .labelNames(LABELS).register();
    public static final Counter SAMPLES_DROPPED = Counter.builder()
            .name("prometheus_remote_storage_samples_dropped_total")
            .help("Total number of samples which were dropped before being sent to remote storage, by reason.")
            .labelNames("remote_name", "url", "reason").register();
    public static final Counter RECORDS_DROPPED = Counter.builder()
            .name("kprom_remote_storage_records_dropped_total")
            .help("Records of metrics.samples never sent to this remote storage, by reason (retention: deleted by"
                    + " Kafka's retention before the queue read them; records, not samples: what a deleted record held"
                    + " is unknowable).")
            .labelNames("remote_name", "url", "reason").register();
    public static final Gauge SAMPLES_PENDING = Gauge.builder()
            .name("prometheus_remote_storage_samples_pending")
            .help("The number of samples pending in the queues shards to be sent to the remote storage.")
            .labelNames(LABELS).register();
    public static final Gauge HIGHEST_SENT_TIMESTAMP = Gauge.builder()
            .name("prometheus_remote_storage_queue_highest_sent_timestamp_seconds")
            .help("Timestamp from a WAL sample, the highest timestamp successfully sent by this queue, in seconds since epoch.")
            .labelNames(LABELS).register();
    public static final Gauge SHARDS = Gauge.builder()
            .name("prometheus_remote_storage_shards")
            .help("The number of shards used for parallel sending to the remote storage.")
            .labelNames(LABELS).register();
    public static final Gauge CONSUMER_LAG = Gauge.builder()
            .name("kprom_remote_storage_consumer_lag_records")
            .help("Records of metrics.samples not yet sent to the remote storage (end offset minus committed position).")
            .labelNames(LABELS).register();
    public static final Histogram SEND_DURATION = Histogram.builder()
            .name("prometheus_remote_storage_sent_batch_duration_seconds")
            .help("Duration of send calls to the remote storage.").labelNames(LABELS).register();

    private RemoteWriteMetrics() {
    }
}
