package io.kprom.scraper.scrape;

/**
 * A scrape's encoded batch exceeded the publisher's size cap (or the broker's limit for one record),
 * so its series were dropped and only a failed outcome with this message was published. Counted in
 * {@code kprom_scraper_batches_dropped_total{reason="too_large"}} (or {@code "oversized"} when the broker refused it).
 */
public final class BatchTooLargeException extends RuntimeException {
    public BatchTooLargeException(String message) {
        super(message);
    }
}
