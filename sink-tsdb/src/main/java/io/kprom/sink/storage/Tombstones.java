package io.kprom.sink.storage;

import java.util.Arrays;

/**
 * Deleted time ranges of one series as a sorted array of disjoint inclusive {@code [min, max]} pairs
 * ({@code [min0, max0, min1, max1, ...]}). Arrays are never mutated after creation.
 */
final class Tombstones {
    private Tombstones() {
    }

    /** A new interval list with {@code [min, max]} added and overlapping or adjacent intervals merged. */
    static long[] add(long[] intervals, long min, long max) {
        long[] existing = intervals == null ? new long[0] : intervals;
        long[] all = Arrays.copyOf(existing, existing.length + 2);
        all[existing.length] = min;
        all[existing.length + 1] = max;
        sortPairs(all);
        long[] merged = new long[all.length];
        int n = 0;
        for (int i = 0; i < all.length; i += 2) {
            boolean touches = n > 0 && (all[i] <= merged[n - 1]
                    || merged[n - 1] != Long.MAX_VALUE && all[i] == merged[n - 1] + 1);
            if (touches) {
                merged[n - 1] = Math.max(merged[n - 1], all[i + 1]);
            } else {
                merged[n++] = all[i];
                merged[n++] = all[i + 1];
            }
        }
        return Arrays.copyOf(merged, n);
    }

    private static void sortPairs(long[] pairs) {
        for (int i = 2; i < pairs.length; i += 2) {
            for (int j = i; j >= 2 && pairs[j - 2] > pairs[j]; j -= 2) {
                long a = pairs[j - 2];
                long b = pairs[j - 1];
                pairs[j - 2] = pairs[j];
                pairs[j - 1] = pairs[j + 1];
                pairs[j] = a;
                pairs[j + 1] = b;
            }
        }
    }

    static boolean deleted(long[] intervals, long timestamp) {
        for (int i = 0; i < intervals.length; i += 2) {
            if (timestamp >= intervals[i] && timestamp <= intervals[i + 1]) {
                return true;
            }
        }
        return false;
    }
}
