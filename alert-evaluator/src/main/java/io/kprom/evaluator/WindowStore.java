package io.kprom.evaluator;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.Labels;
import io.kprom.promql.storage.Querier;
import io.kprom.promql.storage.Queryable;
import io.kprom.promql.storage.SampleArrays;
import io.kprom.promql.storage.SelectHints;
import io.kprom.promql.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The evaluator's own recent samples: for each series its rules can select, the samples of the
 * last {@code retentionMillis}, in memory. The consumer thread appends while the evaluation
 * thread queries: each series is guarded by its own monitor and queries copy what they read, so
 * a query never sees a half-written sample. Out-of-order and duplicate samples are dropped and
 * counted.
 */
final class WindowStore implements Queryable {
    private final ConcurrentHashMap<Labels, SeriesWindow> series = new ConcurrentHashMap<>();
    private final long retentionMillis;

    WindowStore(long retentionMillis) {
        this.retentionMillis = retentionMillis;
    }

    long retentionMillis() {
        return retentionMillis;
    }

    /** Appends one sample; returns false (and counts why) when it is not newer than the series' last. */
    boolean append(Labels labels, long timestampMillis, double value) {
        SeriesWindow window = series.computeIfAbsent(labels, l -> new SeriesWindow());
        if (!window.append(timestampMillis, value)) {
            EvaluatorMetrics.SAMPLES_DROPPED.labelValues("out_of_order").inc();
            return false;
        }
        EvaluatorMetrics.SAMPLES_KEPT.inc();
        return true;
    }

    /** Forgets samples older than {@code nowMillis - retention}, and series left empty. */
    void evict(long nowMillis) {
        long cutoff = nowMillis - retentionMillis;
        series.entrySet().removeIf(entry -> entry.getValue().evictBefore(cutoff));
        EvaluatorMetrics.WINDOW_SERIES.set(series.size());
    }

    int seriesCount() {
        return series.size();
    }

    @Override
    public Querier querier(long minTimeMillis, long maxTimeMillis) {
        return new Querier() {
            @Override
            public SeriesSet select(boolean sorted, SelectHints hints, List<LabelMatcher> matchers) {
                long start = hints == null ? minTimeMillis : Math.max(minTimeMillis, hints.startMillis());
                long end = hints == null ? maxTimeMillis : Math.min(maxTimeMillis, hints.endMillis());
                List<Map.Entry<Labels, SampleArrays>> selected = new ArrayList<>();
                for (Map.Entry<Labels, SeriesWindow> entry : series.entrySet()) {
                    if (matchesAll(entry.getKey(), matchers)) {
                        SampleArrays samples = entry.getValue().copy(start, end);
                        if (samples.length() > 0) {
                            selected.add(Map.entry(entry.getKey(), samples));
                        }
                    }
                }
                if (sorted) {
                    selected.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
                }
                return new SeriesSet() {
                    private int index = -1;

                    @Override
                    public boolean next() {
                        return ++index < selected.size();
                    }

                    @Override
                    public Labels labels() {
                        return selected.get(index).getKey();
                    }

                    @Override
                    public SampleArrays samples() {
                        return selected.get(index).getValue();
                    }
                };
            }

            @Override
            public List<String> labelValues(String name, List<LabelMatcher> matchers) {
                TreeSet<String> values = new TreeSet<>();
                for (Labels labels : series.keySet()) {
                    if (labels.has(name) && matchesAll(labels, matchers)) {
                        values.add(labels.get(name));
                    }
                }
                return new ArrayList<>(values);
            }

            @Override
            public List<String> labelNames(List<LabelMatcher> matchers) {
                TreeSet<String> names = new TreeSet<>();
                for (Labels labels : series.keySet()) {
                    if (matchesAll(labels, matchers)) {
                        names.addAll(labels.names());
                    }
                }
                return new ArrayList<>(names);
            }
        };
    }

    private static boolean matchesAll(Labels labels, List<LabelMatcher> matchers) {
        for (LabelMatcher matcher : matchers) {
            if (!matcher.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** One series' samples in time order; guarded by its own monitor. */
    private static final class SeriesWindow {
        private long[] timestamps = new long[8];
        private double[] values = new double[8];
        private int start;
        private int end;

        synchronized boolean append(long timestampMillis, double value) {
            if (end > start && timestamps[end - 1] >= timestampMillis) {
                return false;
            }
            if (end == timestamps.length) {
                int live = end - start;
                if (live * 2 > timestamps.length) {
                    timestamps = Arrays.copyOf(timestamps, timestamps.length * 2);
                    values = Arrays.copyOf(values, values.length * 2);
                }
                System.arraycopy(timestamps, start, timestamps, 0, live);
                System.arraycopy(values, start, values, 0, live);
                start = 0;
                end = live;
            }
            timestamps[end] = timestampMillis;
            values[end] = value;
            end++;
            return true;
        }

        /** Drops samples before the cutoff; true when nothing is left. */
        synchronized boolean evictBefore(long cutoffMillis) {
            while (start < end && timestamps[start] < cutoffMillis) {
                start++;
            }
            return start == end;
        }

        synchronized SampleArrays copy(long startMillis, long endMillis) {
            SampleArrays out = new SampleArrays(Math.max(1, end - start));
            for (int i = start; i < end; i++) {
                if (timestamps[i] >= startMillis && timestamps[i] <= endMillis) {
                    out.add(timestamps[i], values[i]);
                }
            }
            return out;
        }
    }
}
