package io.kprom.sink.api;

import io.kprom.promql.engine.QueryException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Admits at most {@code --query.max-concurrency} queries at once; others wait in line up to their
 * timeout (Prometheus's active query tracker does the same). Thread-safe.
 */
final class QueryGate {
    private final Semaphore slots;

    QueryGate(int maxConcurrency) {
        slots = new Semaphore(maxConcurrency, true);
        ApiMetrics.CONCURRENT_QUERIES_LIMIT.set(maxConcurrency);
    }

    /** Waits for a slot; the returned handle frees it on close. */
    AutoCloseable enter(long timeoutMillis) {
        try {
            if (!slots.tryAcquire(Math.max(0, timeoutMillis), TimeUnit.MILLISECONDS)) {
                throw new QueryException(QueryException.ErrorType.TIMEOUT, "query timed out in query queue");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueryException(QueryException.ErrorType.CANCELED, "query was canceled in query queue");
        }
        ApiMetrics.CONCURRENT_QUERIES.inc();
        return () -> {
            ApiMetrics.CONCURRENT_QUERIES.dec();
            slots.release();
        };
    }
}
