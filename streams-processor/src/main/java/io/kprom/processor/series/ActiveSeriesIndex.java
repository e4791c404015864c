package io.kprom.processor.series;

import java.util.Arrays;

/**
 * In-memory mirror of a series-stage task's active-series store: label hash to last-seen time, job
 * and which rule groups select the series. Known series are admitted from here, without a store
 * read or decoding their labels; the store stays the durable copy (changelogged) and this index is
 * rebuilt from it whenever the processor is (re)initialised. Open addressing over parallel arrays,
 * about 60 bytes per active series. Not thread-safe (one stream thread).
 */
final class ActiveSeriesIndex {
    /** Rule-group selection not computed (more groups than a mask holds, or unknown). */
    static final long GROUPS_UNKNOWN = -1L;
    private static final int FREE = 0;
    private static final int USED = 1;
    private static final int DELETED = 2;

    private long[] hashes;
    private long[] lastSeen;
    private long[] groups;
    private int[] jobs;
    private byte[] states;
    private int size;
    private int occupied;
    private int found = -1;

    ActiveSeriesIndex(int expected) {
        allocate(Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1);
    }

    int size() {
        return size;
    }

    /** Looks the hash up; when found, {@link #lastSeen()}, {@link #job()} and {@link #groups()} describe it. */
    boolean find(long hash) {
        int mask = hashes.length - 1;
        int index = mix(hash) & mask;
        while (states[index] != FREE) {
            if (states[index] == USED && hashes[index] == hash) {
                found = index;
                return true;
            }
            index = (index + 1) & mask;
        }
        found = -1;
        return false;
    }

    long lastSeen() {
        return lastSeen[found];
    }

    int job() {
        return jobs[found];
    }

    long groups() {
        return groups[found];
    }

    /** Updates the last-seen time of the series {@link #find} found. */
    void touch(long millis) {
        lastSeen[found] = millis;
    }

    /** Remembers the rule-group selection of the series {@link #find} found. */
    void setGroups(long groupMask) {
        groups[found] = groupMask;
    }

    /** Adds or replaces a series. */
    void put(long hash, long lastSeenMillis, int job, long groupMask) {
        if (find(hash)) {
            lastSeen[found] = lastSeenMillis;
            jobs[found] = job;
            groups[found] = groupMask;
            return;
        }
        if ((occupied + 1) * 2 > hashes.length) {
            rehash(size * 4 > hashes.length ? hashes.length * 2 : hashes.length);
        }
        int mask = hashes.length - 1;
        int index = mix(hash) & mask;
        while (states[index] == USED) {
            index = (index + 1) & mask;
        }
        if (states[index] == FREE) {
            occupied++;
        }
        states[index] = USED;
        hashes[index] = hash;
        lastSeen[index] = lastSeenMillis;
        jobs[index] = job;
        groups[index] = groupMask;
        size++;
    }

    void remove(long hash) {
        if (find(hash)) {
            states[found] = DELETED;
            size--;
            found = -1;
        }
    }

    private void rehash(int capacity) {
        long[] oldHashes = hashes;
        long[] oldLastSeen = lastSeen;
        long[] oldGroups = groups;
        int[] oldJobs = jobs;
        byte[] oldStates = states;
        allocate(capacity);
        size = 0;
        occupied = 0;
        for (int i = 0; i < oldHashes.length; i++) {
            if (oldStates[i] == USED) {
                put(oldHashes[i], oldLastSeen[i], oldJobs[i], oldGroups[i]);
            }
        }
    }

    private void allocate(int capacity) {
        hashes = new long[capacity];
        lastSeen = new long[capacity];
        groups = new long[capacity];
        jobs = new int[capacity];
        states = new byte[capacity];
        Arrays.fill(groups, GROUPS_UNKNOWN);
    }

    private static int mix(long value) {
        long h = value * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
