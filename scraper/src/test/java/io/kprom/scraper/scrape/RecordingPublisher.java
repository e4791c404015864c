package io.kprom.scraper.scrape;

import io.kprom.schemas.avro.ScrapeBatch;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A publisher that keeps every batch in memory (a hand-written fake for unit tests). */
public final class RecordingPublisher implements BatchPublisher {
    public record Published(String key, ScrapeBatch batch) {
    }

    private final List<Published> published = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Void> publish(String key, ScrapeBatch batch) {
        published.add(new Published(key, batch));
        return CompletableFuture.completedFuture(null);
    }

    public List<Published> published() {
        return published;
    }
}
