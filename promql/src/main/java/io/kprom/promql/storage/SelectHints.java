package io.kprom.promql.storage;

/**
 * What the engine will read, so storage can skip the rest.
 *
 * @param startMillis first timestamp needed (inclusive)
 * @param endMillis last timestamp needed (inclusive)
 * @param stepMillis query step, 0 for instant queries
 * @param function surrounding function name (e.g. "rate"), or null
 * @param rangeMillis range of the selector, 0 for instant selectors
 */
public record SelectHints(long startMillis, long endMillis, long stepMillis, String function, long rangeMillis) {
}
