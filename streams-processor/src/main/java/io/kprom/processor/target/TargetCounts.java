package io.kprom.processor.target;

/**
 * Active targets per job, for {@code target_limit}. Thread-safe: stream threads share one instance.
 */
public interface TargetCounts {
    /** Number of active targets of the job, counting {@code targetKey} as active. */
    long activeTargets(String job, String targetKey, long nowMillis);

    /** Records that the target sent a scrape; it stays active for {@code ttlMillis}. */
    void seen(String job, String targetKey, long nowMillis, long ttlMillis);

    /** Records that the target is gone (removed or expired). */
    void removed(String job, String targetKey);
}
