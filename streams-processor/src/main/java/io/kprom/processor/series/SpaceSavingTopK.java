package io.kprom.processor.series;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Bounded heavy-hitter counter (Metwally et al.'s Space-Saving): tracks at most {@code capacity}
 * keys; a new key beyond that replaces the smallest counter and inherits its count as error, so
 * any key whose true count exceeds total/capacity is always present and counts are never
 * under-estimated by more than the recorded error. Decrements (expired series) apply only to
 * tracked keys. Memory is O(capacity) whatever the number of distinct keys: this is what keeps
 * per-metric and per-label-pair cardinality statistics bounded when a target suddenly exposes a
 * million new series. Not thread-safe; readers call {@link #snapshot()} under the owner's lock.
 */
public final class SpaceSavingTopK {
    private final int capacity;
    private final Map<String, long[]> counters = new HashMap<>();

    public SpaceSavingTopK(int capacity) {
        this.capacity = Math.max(1, capacity);
    }

    public void increment(String key) {
        long[] counter = counters.get(key);
        if (counter != null) {
            counter[0]++;
            return;
        }
        if (counters.size() < capacity) {
            counters.put(key, new long[] {1, 0});
            return;
        }
        String minKey = null;
        long minCount = Long.MAX_VALUE;
        for (Map.Entry<String, long[]> entry : counters.entrySet()) {
            if (entry.getValue()[0] < minCount) {
                minCount = entry.getValue()[0];
                minKey = entry.getKey();
            }
        }
        counters.remove(minKey);
        counters.put(key, new long[] {minCount + 1, minCount});
    }

    public void decrement(String key) {
        long[] counter = counters.get(key);
        if (counter != null) {
            counter[0]--;
            if (counter[0] <= 0) {
                counters.remove(key);
            }
        }
    }

    /** Copies of (key, estimated count) pairs, unordered. */
    public List<Map.Entry<String, Long>> snapshot() {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counters.size());
        counters.forEach((key, counter) -> entries.add(Map.entry(key, counter[0])));
        return entries;
    }
}
