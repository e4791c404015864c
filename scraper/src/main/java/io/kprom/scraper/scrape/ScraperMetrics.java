package io.kprom.scraper.scrape;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;

/** The scraper's self-metrics, registered once per JVM in the default registry. */
public final class ScraperMetrics {
    public static final Counter SCRAPES = Counter.builder().name("kprom_scraper_scrapes_total")
            .help("Scrapes performed, by job and result (ok or failed).").labelNames("job", "result").register();
    public static final Counter SCRAPE_FAILURES = Counter.builder().name("kprom_scraper_scrape_failures_total")
            .help("Failed scrapes by job and reason (http_status, timeout, connect, body_size_limit, content_type, parse, io, auth).")
            .labelNames("job", "reason").register();
    public static final Histogram SCRAPE_DURATION = Histogram.builder().name("kprom_scraper_scrape_duration_seconds")
            .help("Duration of scrapes by job.").labelNames("job")
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30).register();
    public static final Counter SAMPLES_SCRAPED = Counter.builder().name("kprom_scraper_samples_scraped_total")
            .help("Samples parsed from successful scrapes, by job.").labelNames("job").register();
    public static final Counter SKIPPED = Counter.builder().name("prometheus_target_scrapes_skipped_total")
            .help("Scrapes skipped because the previous scrape of the target was still running or the worker pool was full.")
            .labelNames("reason").register();
    public static final Histogram INTERVAL_LENGTH = Histogram.builder().name("prometheus_target_interval_length_seconds")
            .help("Actual intervals between scrapes.").labelNames("interval")
            .classicUpperBounds(0.01, 0.1, 1, 5, 10, 15, 30, 60, 120, 300).register();
    public static final Gauge ACTIVE_TARGETS = Gauge.builder().name("kprom_scraper_active_targets")
            .help("Targets discovered and kept by relabeling, per job (all replicas see the same set).")
            .labelNames("job").register();
    public static final Gauge OWNED_TARGETS = Gauge.builder().name("kprom_scraper_owned_targets")
            .help("Active targets this replica scrapes (its shards), per job.").labelNames("job").register();
    public static final Gauge DROPPED_TARGETS = Gauge.builder().name("kprom_scraper_dropped_targets")
            .help("Discovered targets dropped by relabeling or invalid, per job.").labelNames("job").register();
    public static final Gauge DISCOVERED_TARGETS = Gauge.builder().name("prometheus_sd_discovered_targets")
            .help("Current number of discovered targets.").labelNames("config", "name").register();
    public static final Counter SD_UPDATES = Counter.builder().name("prometheus_sd_updates_total")
            .help("Target group updates received from discoverers.").labelNames("name").register();
    public static final Counter SD_FAILURES = Counter.builder().name("prometheus_sd_failures_total")
            .help("Discoverers that failed and were restarted.").labelNames("mechanism").register();
    public static final Counter SYNCS = Counter.builder().name("prometheus_target_scrape_pool_sync_total")
            .help("Total number of syncs that were executed on a scrape pool.").labelNames("scrape_job").register();
    public static final Gauge OWNED_SHARDS = Gauge.builder().name("kprom_scraper_owned_shards")
            .help("Partitions of scrape.shards assigned to this replica.").register();
    public static final Counter BATCHES_DROPPED = Counter.builder().name("kprom_scraper_batches_dropped_total")
            .help("Batches dropped before Kafka acknowledged them, by reason (buffer_full, send_failed, oversized, closed).")
            .labelNames("reason").register();
    public static final Counter BATCHES_SENT = Counter.builder().name("kprom_scraper_batches_sent_total")
            .help("Batches acknowledged by Kafka.").register();
    public static final Counter PRODUCER_ERRORS = Counter.builder().name("kprom_scraper_producer_errors_total")
            .help("Kafka send attempts that failed (each is retried until dropped).").register();
    public static final Gauge BUFFER_BATCHES = Gauge.builder().name("kprom_scraper_buffer_batches")
            .help("Batches waiting in the publish buffer.").register();
    public static final Gauge BUFFER_BYTES = Gauge.builder().name("kprom_scraper_buffer_bytes")
            .help("Serialized bytes waiting in the publish buffer.").register();
    public static final Gauge BUFFER_CAPACITY_BYTES = Gauge.builder().name("kprom_scraper_buffer_capacity_bytes")
            .help("Capacity of the publish buffer in bytes.").register();

    private ScraperMetrics() {
    }
}
