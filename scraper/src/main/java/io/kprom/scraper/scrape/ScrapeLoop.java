package io.kprom.scraper.scrape;

import io.kprom.schemas.avro.BatchSource;
import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.avro.ScrapeOutcome;
import io.kprom.schemas.avro.ScrapeTarget;
import io.kprom.scraper.parse.ExpositionFormat;
import io.kprom.scraper.target.Target;
import java.util.ArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Scrapes one target at its interval, starting at an offset derived from the target's hash (so
 * every replica computes the same phase), publishing one {@link ScrapeBatch} per scrape, failed or not.
 * A tick is skipped when this replica does not own the target's shard or the previous scrape is
 * still running. Ticks run on the shared scheduler; the scrape itself runs on the bounded worker pool.
 * Status accessors are safe to read from any thread.
 */
public final class ScrapeLoop {
    private final Target target;
    private final ScrapeTarget avroTarget;
    private final Supplier<HttpTargetScraper> scraper;
    private final ExpositionFormat fallback;
    private final BatchPublisher publisher;
    private final ShardOwnership shards;
    private final Supplier<String> forcedError;
    private final ScrapeBatchBuilder builder = new ScrapeBatchBuilder();
    private final HttpTargetScraper.Buffer buffer = new HttpTargetScraper.Buffer();
    private final AtomicBoolean running = new AtomicBoolean();
    private ScheduledFuture<?> schedule;
    private volatile boolean stopped;

    private volatile String health = "unknown";
    private volatile String lastError = "";
    private volatile long lastScrapeMillis;
    private volatile double lastDurationSeconds;
    private volatile long lastSamples;
    private volatile boolean owned;
    private long previousStartNanos;

    /**
     * @param scraper the pool's current HTTP scraper (re-read each scrape so a reload applies)
     * @param fallback the format when the content type is missing or unknown, or null (then such a scrape fails)
     * @param forcedError non-null result fails every scrape with that message (e.g. target_limit exceeded)
     */
    public ScrapeLoop(Target target, Supplier<HttpTargetScraper> scraper, ExpositionFormat fallback,
            BatchPublisher publisher, ShardOwnership shards, Supplier<String> forcedError) {
        this.target = target;
        this.scraper = scraper;
        this.fallback = fallback;
        this.publisher = publisher;
        this.shards = shards;
        this.forcedError = forcedError;
        this.avroTarget = avroTarget(target);
    }

    static ScrapeTarget avroTarget(Target target) {
        return new ScrapeTarget(target.job(), target.labels().getOrEmpty("instance"), target.publicLabels().toList(),
                target.interval().toMillis(), target.timeout().toMillis());
    }

    public Target target() {
        return target;
    }

    /** Schedules the loop at the target's offset within its interval. */
    public synchronized void start(ScheduledExecutorService scheduler, Executor workers) {
        long interval = target.interval().toMillis();
        long delay = offsetMillis(target.hash(), interval, System.currentTimeMillis());
        schedule = scheduler.scheduleAtFixedRate(() -> tick(workers), delay, interval, TimeUnit.MILLISECONDS);
    }

    /** Prometheus's offset: the next wall-clock slot of {@code hash mod interval} within the interval. */
    static long offsetMillis(long hash, long intervalMillis, long nowMillis) {
        long base = intervalMillis - Math.floorMod(nowMillis, intervalMillis);
        long offset = Long.remainderUnsigned(hash, intervalMillis);
        long next = base + offset;
        if (next > intervalMillis) {
            next -= intervalMillis;
        }
        return next;
    }

    /** Stops scheduling; a scrape in flight finishes and publishes. */
    public synchronized void stop() {
        stopped = true;
        if (schedule != null) {
            schedule.cancel(false);
        }
    }

    /** Announces that the target is gone (the processor writes stale markers), if this replica owns it. */
    public void publishRemoved() {
        if (!shards.owns(target.shard(shards.shards()))) {
            return;
        }
        ScrapeBatch batch = new ScrapeBatch(BatchSource.TARGET_REMOVED, avroTarget, System.currentTimeMillis(),
                new ScrapeOutcome(true, null, 0.0, 0L, ""), new ArrayList<>(), new ArrayList<>());
        publisher.publish(target.identity(), batch);
    }

    void tick(Executor workers) {
        if (stopped) {
            return;
        }
        owned = shards.owns(target.shard(shards.shards()));
        if (!owned) {
            return;
        }
        if (!running.compareAndSet(false, true)) {
            ScraperMetrics.SKIPPED.labelValues("previous_running").inc();
            return;
        }
        try {
            workers.execute(this::scrapeOnce);
        } catch (RejectedExecutionException e) {
            running.set(false);
            ScraperMetrics.SKIPPED.labelValues("workers_busy").inc();
        }
    }

    /** One scrape, published; runs on a worker thread. */
    void scrapeOnce() {
        try {
            long startNanos = System.nanoTime();
            if (previousStartNanos != 0) {
                ScraperMetrics.INTERVAL_LENGTH.labelValues(target.labels().getOrEmpty("__scrape_interval__"))
                        .observe((startNanos - previousStartNanos) / 1e9);
            }
            previousStartNanos = startNanos;
            long timestamp = System.currentTimeMillis();
            ScrapeBatch batch = scrape(timestamp, startNanos);
            double duration = batch.getOutcome().getDurationSeconds();
            lastScrapeMillis = timestamp;
            lastDurationSeconds = duration;
            ScraperMetrics.SCRAPE_DURATION.labelValues(target.job()).observe(duration);
            if (batch.getOutcome().getOk()) {
                health = "up";
                lastError = "";
                lastSamples = batch.getSeries().size();
                ScraperMetrics.SCRAPES.labelValues(target.job(), "ok").inc();
                ScraperMetrics.SAMPLES_SCRAPED.labelValues(target.job()).inc(batch.getSeries().size());
            } else {
                health = "down";
                lastError = batch.getOutcome().getError();
                lastSamples = 0;
                ScraperMetrics.SCRAPES.labelValues(target.job(), "failed").inc();
            }
            publisher.publish(target.identity(), batch).whenComplete((ignored, error) -> {
                if (error instanceof BatchTooLargeException) {
                    // The series were dropped and a failed outcome published instead: report it like a failed scrape.
                    health = "down";
                    lastError = error.getMessage();
                    lastSamples = 0;
                    ScraperMetrics.SCRAPE_FAILURES.labelValues(target.job(), "too_large").inc();
                }
            });
        } finally {
            running.set(false);
        }
    }

    private ScrapeBatch scrape(long timestamp, long startNanos) {
        String forced = forcedError.get();
        if (forced != null) {
            ScraperMetrics.SCRAPE_FAILURES.labelValues(target.job(), "target_limit").inc();
            return ScrapeBatchBuilder.failure(avroTarget, timestamp, forced, 0.0, 0, "");
        }
        ScrapeResponse response;
        try {
            response = scraper.get().scrape(target.url(), target.timeout(), buffer);
        } catch (ScrapeException e) {
            ScraperMetrics.SCRAPE_FAILURES.labelValues(target.job(), e.reason()).inc();
            return ScrapeBatchBuilder.failure(avroTarget, timestamp, e.getMessage(), seconds(startNanos), 0, "");
        }
        ExpositionFormat format = ExpositionFormat.forContentType(response.contentType());
        if (format == null) {
            format = fallback;
        }
        if (format == null) {
            ScraperMetrics.SCRAPE_FAILURES.labelValues(target.job(), "content_type").inc();
            String message = response.contentType().isBlank()
                    ? "non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target"
                    : "received unsupported Content-Type \"" + response.contentType()
                            + "\" and no fallback_scrape_protocol specified for target";
            return ScrapeBatchBuilder.failure(avroTarget, timestamp, message, seconds(startNanos), response.length(),
                    response.contentType());
        }
        ScrapeBatch batch = builder.build(avroTarget, timestamp, response, format, 0.0);
        batch.getOutcome().setDurationSeconds(seconds(startNanos));
        if (!batch.getOutcome().getOk()) {
            ScraperMetrics.SCRAPE_FAILURES.labelValues(target.job(), "parse").inc();
        }
        return batch;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    public String health() {
        return health;
    }

    public String lastError() {
        return lastError;
    }

    public long lastScrapeMillis() {
        return lastScrapeMillis;
    }

    public double lastDurationSeconds() {
        return lastDurationSeconds;
    }

    public long lastSamples() {
        return lastSamples;
    }

    /** Whether this replica owned the target's shard at the last tick. */
    public boolean owned() {
        return owned;
    }
}
