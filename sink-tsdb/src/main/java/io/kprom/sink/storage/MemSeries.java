package io.kprom.sink.storage;

import io.kprom.common.labels.Labels;
import io.kprom.sink.storage.chunk.XorChunkEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One series in the in-memory head: its open chunk, chunks cut but not yet flushed, and buffered
 * out-of-order samples. Mutable state is guarded by the object's monitor: the single writer mutates
 * under it, readers take a {@link HeadSnapshot} under it.
 */
final class MemSeries {
    final int id;
    final Labels labels;

    XorChunkEncoder open;
    long openBlock;
    final List<PendingChunk> cut = new ArrayList<>();
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

    /** What a query needs from the head, copied (or shared immutably) under the monitor. */
    record HeadSnapshot(List<PendingChunk> cut, XorChunkEncoder.View open, long[] outOfOrderTimestamps,
                        double[] outOfOrderValues) {
    }

    synchronized HeadSnapshot snapshot() {
        return new HeadSnapshot(cut.isEmpty() ? List.of() : List.copyOf(cut),
                open == null || open.count() == 0 ? null : open.view(),
                outOfOrderCount == 0 ? null : Arrays.copyOf(outOfOrderTimestamps, outOfOrderCount),
                outOfOrderCount == 0 ? null : Arrays.copyOf(outOfOrderValues, outOfOrderCount));
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
        return cut.size() + (open == null ? 0 : 1);
    }
}
