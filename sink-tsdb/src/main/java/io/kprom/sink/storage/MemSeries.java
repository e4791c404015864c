package io.kprom.sink.storage;

import io.kprom.common.labels.Labels;
import io.kprom.sink.storage.chunk.XorChunkEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One series in the in-memory head: its open chunk, chunks cut but not yet flushed, the most recent
 * flushed chunks (kept so that queries over the last minutes need no disk read) and buffered
 * out-of-order samples. Mutable state is guarded by the object's monitor: the single writer mutates
 * under it, readers take a {@link HeadSnapshot} under it.
 */
final class MemSeries {
    final int id;
    final Labels labels;

    XorChunkEncoder open;
    long openBlock;
    final List<PendingChunk> cut = new ArrayList<>();
    /** In-order chunks already on disk, still held for queries; oldest first, all older than {@link #cut}. */
    final List<PendingChunk> flushed = new ArrayList<>();
    /**
     * Every in-order sample at or after this time is in {@link #flushed}, {@link #cut} or {@link #open}
     * (earlier ones are only on disk). {@code Long.MAX_VALUE} when the head does not know (a series
     * loaded from disk and not yet resumed); {@code Long.MIN_VALUE} for a series created by this
     * process that never dropped a chunk from memory.
     */
    long headFrom = Long.MAX_VALUE;
    /** Whether out-of-order chunks of this series may be on disk (flushed since open, or rewritten). */
    boolean outOfOrderOnDisk;
    long maxTime = Long.MIN_VALUE;
    long lastValueBits;
    long[] outOfOrderTimestamps = new long[0];
    double[] outOfOrderValues = new double[0];
    int outOfOrderCount;
    /** Whether the newest chunk on disk has been read to learn maxTime (done lazily at first append). */
    boolean resumed;
    boolean dirty;
    /** Whether the series is in the store's list of series to write at the next flush (writer-only). */
    boolean dirtyListed;

    MemSeries(int id, Labels labels) {
        this.id = id;
        this.labels = labels;
    }

    /** A chunk cut from the head, waiting for the next flush. */
    record PendingChunk(long block, long minTime, byte[] bytes) {
    }

    /**
     * What a query needs from the head, copied (or shared immutably) under the monitor.
     *
     * @param flushed chunks already on disk that the head still holds, oldest first
     * @param cut chunks cut from the head and not yet flushed, oldest first (all newer than {@code flushed})
     * @param headFrom see {@link MemSeries#headFrom}
     * @param outOfOrderOnDisk see {@link MemSeries#outOfOrderOnDisk}
     */
    record HeadSnapshot(List<PendingChunk> flushed, List<PendingChunk> cut, XorChunkEncoder.View open,
                        long[] outOfOrderTimestamps, double[] outOfOrderValues, long headFrom,
                        boolean outOfOrderOnDisk) {
    }

    synchronized HeadSnapshot snapshot() {
        return new HeadSnapshot(flushed.isEmpty() ? List.of() : List.copyOf(flushed),
                cut.isEmpty() ? List.of() : List.copyOf(cut),
                open == null || open.count() == 0 ? null : open.view(),
                outOfOrderCount == 0 ? null : Arrays.copyOf(outOfOrderTimestamps, outOfOrderCount),
                outOfOrderCount == 0 ? null : Arrays.copyOf(outOfOrderValues, outOfOrderCount), headFrom,
                outOfOrderOnDisk);
    }

    /**
     * After the cut chunks were written to disk: they join the flushed chunks, and the oldest flushed
     * chunks go once the chunks after them still cover {@code retainMillis} before the newest sample.
     * Caller holds the monitor.
     */
    void retainFlushed(long retainMillis) {
        flushed.addAll(cut);
        cut.clear();
        long horizon = maxTime - retainMillis;
        while (!flushed.isEmpty()) {
            long nextMinTime = flushed.size() > 1 ? flushed.get(1).minTime()
                    : open != null && open.count() > 0 ? open.minTime() : Long.MAX_VALUE;
            if (nextMinTime > horizon) {
                break;
            }
            flushed.remove(0);
            headFrom = nextMinTime;
        }
    }

    /**
     * Drops every chunk from memory: the head no longer knows which samples are on disk only. Caller holds
     * the monitor.
     */
    void forgetChunks() {
        open = null;
        cut.clear();
        flushed.clear();
        outOfOrderCount = 0;
        headFrom = Long.MAX_VALUE;
    }

    /** Inserts an out-of-order sample keeping the buffer sorted; returns false for an existing timestamp. */
    int outOfOrderIndex(long timestamp) {
        return Arrays.binarySearch(outOfOrderTimestamps, 0, outOfOrderCount, timestamp);
    }

    void insertOutOfOrder(int insertionPoint, long timestamp, double value) {
        if (outOfOrderCount == outOfOrderTimestamps.length) {
            int capacity = Math.max(8, outOfOrderCount * 2);
            outOfOrderTimestamps = Arrays.copyOf(outOfOrderTimestamps, capacity);
            outOfOrderValues = Arrays.copyOf(outOfOrderValues, capacity);
        }
        System.arraycopy(outOfOrderTimestamps, insertionPoint, outOfOrderTimestamps, insertionPoint + 1,
                outOfOrderCount - insertionPoint);
        System.arraycopy(outOfOrderValues, insertionPoint, outOfOrderValues, insertionPoint + 1,
                outOfOrderCount - insertionPoint);
        outOfOrderTimestamps[insertionPoint] = timestamp;
        outOfOrderValues[insertionPoint] = value;
        outOfOrderCount++;
    }

    int headChunkCount() {
        return flushed.size() + cut.size() + (open == null ? 0 : 1);
    }
}
