package io.kprom.promql.engine;

import io.kprom.common.labels.Labels;
import io.kprom.promql.ast.MatrixSelector;
import io.kprom.promql.ast.VectorSelector;
import io.kprom.promql.storage.SampleArrays;
import io.kprom.promql.storage.SelectHints;
import io.kprom.promql.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;

/** Reads selectors from the query's {@code Querier}, each series once for all steps. */
final class SeriesReader {
    /** Prometheus's staleness marker: a NaN with this exact bit pattern ends a series. */
    static final long STALE_NAN_BITS = 0x7ff0000000000002L;

    private final EvaluationContext context;

    SeriesReader(EvaluationContext context) {
        this.context = context;
    }

    static boolean isStale(double value) {
        return Double.doubleToRawLongBits(value) == STALE_NAN_BITS;
    }

    /**
     * The instant vector of a selector at every step: per step, the newest sample in
     * {@code (end - lookback, end]}, unless that sample is a stale marker.
     *
     * @param sampleTimestamps produce the samples' timestamps in seconds instead of their values
     *                         (for {@code timestamp()})
     */
    List<StepSeries> instantVector(VectorSelector selector, long[] windowEnds, boolean sampleTimestamps) {
        long lookback = context.lookbackDeltaMillis();
        int steps = windowEnds.length;
        SelectHints hints = new SelectHints(windowEnds[0] - lookback + 1, windowEnds[steps - 1], 0, null, 0);
        List<StepSeries> result = new ArrayList<>();
        try (SeriesSet set = context.querier().select(false, hints, selector.matchers())) {
            while (set.next()) {
                context.checkAlive();
                SampleArrays samples = set.samples();
                long[] ts = samples.timestampArray();
                double[] vs = samples.valueArray();
                int length = samples.length();
                StepSeries out = null;
                int next = 0;
                for (int step = 0; step < steps; step++) {
                    long end = windowEnds[step];
                    while (next < length && ts[next] <= end) {
                        next++;
                    }
                    int last = next - 1;
                    if (last < 0 || ts[last] <= end - lookback || isStale(vs[last])) {
                        continue;
                    }
                    if (out == null) {
                        out = new StepSeries(set.labels(), steps);
                    }
                    out.set(step, sampleTimestamps ? ts[last] / 1000.0 : vs[last]);
                }
                if (out != null) {
                    context.addSamples(out.count());
                    result.add(out);
                }
            }
        }
        return result;
    }

    /** Streams a matrix selector's series with stale markers removed (Prometheus drops them from ranges). */
    RangeSource rangeSource(MatrixSelector matrix, long[] windowEnds) {
        VectorSelector selector = matrix.vectorSelector();
        long range = matrix.rangeMillis();
        SelectHints hints = new SelectHints(windowEnds[0] - range + 1, windowEnds[windowEnds.length - 1], 0, null,
                range);
        return new RangeSource(windowEnds, range, selector, consumer -> {
            long[] timestamps = new long[64];
            double[] values = new double[64];
            try (SeriesSet set = context.querier().select(false, hints, selector.matchers())) {
                while (set.next()) {
                    context.checkAlive();
                    SampleArrays samples = set.samples();
                    int length = samples.length();
                    if (timestamps.length < length) {
                        timestamps = new long[Math.max(length, timestamps.length * 2)];
                        values = new double[timestamps.length];
                    }
                    long[] ts = samples.timestampArray();
                    double[] vs = samples.valueArray();
                    int kept = 0;
                    for (int i = 0; i < length; i++) {
                        if (!isStale(vs[i])) {
                            timestamps[kept] = ts[i];
                            values[kept] = vs[i];
                            kept++;
                        }
                    }
                    context.addSamples(kept);
                    Labels labels = set.labels();
                    consumer.accept(labels, timestamps, values, kept);
                    context.releaseSamples(kept);
                }
            }
        });
    }
}
