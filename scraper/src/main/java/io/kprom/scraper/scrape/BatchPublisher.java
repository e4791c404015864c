package io.kprom.scraper.scrape;

import io.kprom.schemas.avro.ScrapeBatch;
import java.util.concurrent.CompletableFuture;

/**
 * Where scrape loops and the remote-write receiver hand their batches. Implementations must never
 * block the caller for long: a full buffer drops (and counts) the oldest batch instead.
 * Thread-safe.
 */
public interface BatchPublisher {
    /**
     * Queues one batch under its key (the target identity). The future completes when the broker
     * acknowledged it, or exceptionally when it was dropped.
     */
    CompletableFuture<Void> publish(String key, ScrapeBatch batch);
}
