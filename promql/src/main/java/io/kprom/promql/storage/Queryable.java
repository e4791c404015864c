package io.kprom.promql.storage;

/** Opens {@link Querier}s bounded to a time range; the engine opens one per query. Thread-safe. */
@FunctionalInterface
public interface Queryable {
    Querier querier(long minTimeMillis, long maxTimeMillis);
}
