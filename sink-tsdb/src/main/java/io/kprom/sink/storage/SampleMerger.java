package io.kprom.sink.storage;

import io.kprom.promql.storage.SampleArrays;

/**
 * Collects one series' samples from several sources (chunks on disk, head chunks, out-of-order
 * buffer) and produces them sorted by timestamp, one per timestamp (the first source added wins),
 * without samples under tombstones. Reused across series; not thread-safe.
 */
final class SampleMerger {
    private long[] timestamps = new long[256];
    private double[] values = new double[256];
    private long[] scratchTimestamps = new long[0];
    private double[] scratchValues = new double[0];
    private int length;
    private boolean sorted = true;

    void reset() {
        length = 0;
        sorted = true;
    }

    void add(long timestamp, double value) {
        if (length == timestamps.length) {
            timestamps = java.util.Arrays.copyOf(timestamps, length * 2);
            values = java.util.Arrays.copyOf(values, length * 2);
        }
        if (length > 0 && timestamp <= timestamps[length - 1]) {
            sorted = false;
        }
        timestamps[length] = timestamp;
        values[length] = value;
        length++;
    }

    /** Adds the decoder's remaining samples in {@code [minTime, maxTime]} (it stops after the first one past maxTime). */
    void addAll(io.kprom.sink.storage.chunk.ChunkDecoder decoder, long minTime, long maxTime) {
        int room = length + decoder.count();
        if (room > timestamps.length) {
            int capacity = Math.max(room, timestamps.length * 2);
            timestamps = java.util.Arrays.copyOf(timestamps, capacity);
            values = java.util.Arrays.copyOf(values, capacity);
        }
        int from = length;
        length = decoder.decodeInto(minTime, maxTime, timestamps, values, length);
        if (sorted) {
            for (int i = Math.max(1, from); i < length; i++) {
                if (timestamps[i] <= timestamps[i - 1]) {
                    sorted = false;
                    break;
                }
            }
        }
    }

    /** Writes the merged samples into {@code out} (cleared first). */
    void drainTo(SampleArrays out, long[] tombstones) {
        out.clear();
        if (!sorted) {
            sortStable();
        }
        long previous = 0;
        boolean first = true;
        for (int i = 0; i < length; i++) {
            long t = timestamps[i];
            if (!first && t == previous) {
                continue;
            }
            first = false;
            previous = t;
            if (tombstones != null && Tombstones.deleted(tombstones, t)) {
                continue;
            }
            out.add(t, values[i]);
        }
    }

    /** Bottom-up merge sort by timestamp, stable so the earlier source wins among equal timestamps. */
    private void sortStable() {
        if (scratchTimestamps.length < length) {
            scratchTimestamps = new long[timestamps.length];
            scratchValues = new double[timestamps.length];
        }
        long[] srcT = timestamps;
        double[] srcV = values;
        long[] dstT = scratchTimestamps;
        double[] dstV = scratchValues;
        for (int width = 1; width < length; width *= 2) {
            for (int left = 0; left < length; left += 2 * width) {
                int mid = Math.min(left + width, length);
                int right = Math.min(left + 2 * width, length);
                int i = left;
                int j = mid;
                int k = left;
                while (i < mid && j < right) {
                    if (srcT[j] < srcT[i]) {
                        dstT[k] = srcT[j];
                        dstV[k++] = srcV[j++];
                    } else {
                        dstT[k] = srcT[i];
                        dstV[k++] = srcV[i++];
                    }
                }
                while (i < mid) {
                    dstT[k] = srcT[i];
                    dstV[k++] = srcV[i++];
                }
                while (j < right) {
                    dstT[k] = srcT[j];
                    dstV[k++] = srcV[j++];
                }
            }
            long[] swapT = srcT;
            srcT = dstT;
            dstT = swapT;
            double[] swapV = srcV;
            srcV = dstV;
            dstV = swapV;
        }
        timestamps = srcT;
        values = srcV;
        scratchTimestamps = dstT;
        scratchValues = dstV;
        sorted = true;
    }
}
