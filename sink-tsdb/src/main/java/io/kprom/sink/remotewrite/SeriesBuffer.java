package io.kprom.sink.remotewrite;

import io.kprom.common.labels.Labels;
import io.kprom.promql.storage.SampleArrays;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples waiting to be sent by one shard, grouped by series in arrival order (so each series'
 * samples stay in timestamp order). Not thread-safe: one shard owns it.
 */
public final class SeriesBuffer {
    private final Map<Labels, SampleArrays> series = new LinkedHashMap<>();
    private int samples;

    public void add(Labels labels, long timestampMillis, double value) {
        series.computeIfAbsent(labels, l -> new SampleArrays(8)).add(timestampMillis, value);
        samples++;
    }

    public int samples() {
        return samples;
    }

    public boolean isEmpty() {
        return samples == 0;
    }

    /**
     * Cuts the buffer into batches of at most {@code maxSamples} samples each, keeping a series'
     * samples in order across batches, and empties the buffer.
     */
    public List<List<SeriesSamples>> drainBatches(int maxSamples) {
        List<List<SeriesSamples>> batches = new ArrayList<>();
        List<SeriesSamples> current = new ArrayList<>();
        int inCurrent = 0;
        for (Map.Entry<Labels, SampleArrays> entry : series.entrySet()) {
            SampleArrays arrays = entry.getValue();
            int offset = 0;
            while (offset < arrays.length()) {
                int take = Math.min(arrays.length() - offset, maxSamples - inCurrent);
                current.add(new SeriesSamples(entry.getKey(),
                        java.util.Arrays.copyOfRange(arrays.timestampArray(), offset, offset + take),
                        java.util.Arrays.copyOfRange(arrays.valueArray(), offset, offset + take)));
                inCurrent += take;
                offset += take;
                if (inCurrent == maxSamples) {
                    batches.add(current);
                    current = new ArrayList<>();
                    inCurrent = 0;
                }
            }
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        series.clear();
        samples = 0;
        return batches;
    }

    /** One series' samples inside a batch; arrays are parallel and ascending in time. */
    public record SeriesSamples(Labels labels, long[] timestamps, double[] values) {
    }
}
