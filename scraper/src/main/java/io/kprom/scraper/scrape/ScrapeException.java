package io.kprom.scraper.scrape;

/** A scrape failed; {@link #reason()} is the low-cardinality label used in failure metrics. */
public final class ScrapeException extends Exception {
    private final String reason;

    public ScrapeException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ScrapeException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** One of: http_status, timeout, connect, body_size_limit, content_type, parse, io. */
    public String reason() {
        return reason;
    }
}
