package io.kprom.processor.target;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link TargetCounts} shared by the stream threads of one processor instance. With several
 * instances each counts the targets whose partitions it owns, so {@code target_limit} then acts
 * per instance (see the README).
 */
public final class LocalTargetCounts implements TargetCounts {
    private final Map<String, Map<String, Long>> expiryByJob = new ConcurrentHashMap<>();

    @Override
    public long activeTargets(String job, String targetKey, long nowMillis) {
        Map<String, Long> targets = expiryByJob.get(job);
        if (targets == null) {
            return 1;
        }
        targets.values().removeIf(expiry -> expiry < nowMillis);
        return targets.size() + (targets.containsKey(targetKey) ? 0 : 1);
    }

    @Override
    public void seen(String job, String targetKey, long nowMillis, long ttlMillis) {
        expiryByJob.computeIfAbsent(job, j -> new ConcurrentHashMap<>()).put(targetKey, nowMillis + ttlMillis);
    }

    @Override
    public void removed(String job, String targetKey) {
        Map<String, Long> targets = expiryByJob.get(job);
        if (targets != null) {
            targets.remove(targetKey);
        }
    }
}
