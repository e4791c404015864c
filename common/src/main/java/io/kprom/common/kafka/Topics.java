package io.kprom.common.kafka;

/** Names of kprom's topics, in one place (settings live in {@link TopicCatalogue}). */
public final class Topics {
    public static final String METRICS_RAW = "metrics.raw";
    public static final String METRICS_SAMPLES = "metrics.samples";
    public static final String METRICS_METADATA = "metrics.metadata";
    public static final String SCRAPE_SHARDS = "scrape.shards";
    public static final String ALERTS = "alerts";

    private Topics() {
    }
}
