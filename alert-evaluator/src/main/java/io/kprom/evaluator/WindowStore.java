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
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The evaluator's own recent samples: for each series its rules can select, the samples of the
 * last {@code retentionMillis}, in memory, with an inverted index (label name and value -> series)
 * so a selector with an equality matcher ({@code http_requests_total{job="api"}}) visits only the
 * series of its smallest posting list instead of every series.
 *
 * <p>Thread-safety: one consumer thread appends and evicts while evaluation threads query. Each
 * series is guarded by its own monitor; the index by a read-write lock taken for writing only when
 * a series is created or forgotten. A {@link SeriesSet} fills one reused {@link SampleArrays} per
 * series from the live window (valid until the next {@code next()}, as the {@code SeriesSet}
 * contract says), so a select allocates no per-series sample arrays. Out-of-order and duplicate
 * samples are dropped and counted.
 */
public final class WindowStore implements Queryable {
    private final ConcurrentHashMap<Labels, SeriesWindow> series = new ConcurrentHashMap<>();
    /** label name -> label value -> series with that pair. Guarded by {@link #indexLock}. */
    private final Map<String, Map<String, Set<SeriesWindow>>> postings = new HashMap<>();
    private final ReadWriteLock indexLock = new ReentrantReadWriteLock();
    private final long retentionMillis;

    public WindowStore(long retentionMillis) {
        this.retentionMillis = retentionMillis;
    }

    public long retentionMillis() {
        return retentionMillis;
    }

    /** Appends one sample; returns false (and counts why) when it is not newer than the series' last. */
    public boolean append(Labels labels, long timestampMillis, double value) {
        SeriesWindow window = series.get(labels);
        if (window == null) {
            window = create(labels);
        }
        if (!window.append(timestampMillis, value)) {
            EvaluatorMetrics.SAMPLES_DROPPED.labelValues("out_of_order").inc();
            return false;
        }
        EvaluatorMetrics.SAMPLES_KEPT.inc();
        return true;
    }

    private SeriesWindow create(Labels labels) {
        indexLock.writeLock().lock();
        try {
            SeriesWindow existing = series.get(labels);
            if (existing != null) {
                return existing;
            }
            SeriesWindow window = new SeriesWindow(labels);
            for (int i = 0; i < labels.size(); i++) {
                postings.computeIfAbsent(labels.name(i), n -> new HashMap<>())
                        .computeIfAbsent(labels.value(i), v -> java.util.Collections.newSetFromMap(new HashMap<>()))
                        .add(window);
            }
            series.put(labels, window);
            return window;
        } finally {
            indexLock.writeLock().unlock();
        }
    }

    /** Forgets samples older than {@code nowMillis - retention}, and series left empty. */
    public void evict(long nowMillis) {
        long cutoff = nowMillis - retentionMillis;
        List<SeriesWindow> empty = new ArrayList<>();
        for (SeriesWindow window : series.values()) {
            if (window.evictBefore(cutoff)) {
                empty.add(window);
            }
        }
        if (!empty.isEmpty()) {
            indexLock.writeLock().lock();
            try {
                for (SeriesWindow window : empty) {
                    // A sample may have arrived since the check; keep the series then.
                    if (!window.isEmpty() || !series.remove(window.labels, window)) {
                        continue;
                    }
                    Labels labels = window.labels;
                    for (int i = 0; i < labels.size(); i++) {
                        Map<String, Set<SeriesWindow>> values = postings.get(labels.name(i));
                        Set<SeriesWindow> set = values.get(labels.value(i));
                        set.remove(window);
                        if (set.isEmpty()) {
                            values.remove(labels.value(i));
                            if (values.isEmpty()) {
                                postings.remove(labels.name(i));
                            }
                        }
                    }
                }
            } finally {
                indexLock.writeLock().unlock();
            }
        }
        EvaluatorMetrics.WINDOW_SERIES.set(series.size());
    }

    public int seriesCount() {
        return series.size();
    }

    /**
     * The series that may match all matchers: the smallest posting list among the equality
     * matchers with a non-empty value, else every series. Callers still check every matcher.
     */
    private List<SeriesWindow> candidates(List<LabelMatcher> matchers) {
        indexLock.readLock().lock();
        try {
            Collection<SeriesWindow> smallest = null;
            for (LabelMatcher matcher : matchers) {
                if (matcher.type() != LabelMatcher.Type.EQUAL || matcher.value().isEmpty()) {
                    continue;
                }
                Map<String, Set<SeriesWindow>> values = postings.get(matcher.name());
                Set<SeriesWindow> set = values == null ? null : values.get(matcher.value());
                if (set == null) {
                    return List.of();
                }
                if (smallest == null || set.size() < smallest.size()) {
                    smallest = set;
                }
            }
            return new ArrayList<>(smallest != null ? smallest : series.values());
        } finally {
            indexLock.readLock().unlock();
        }
    }

    private List<SeriesWindow> matching(List<LabelMatcher> matchers) {
        List<SeriesWindow> out = new ArrayList<>();
        for (SeriesWindow window : candidates(matchers)) {
            if (matchesAll(window.labels, matchers)) {
                out.add(window);
            }
        }
        return out;
    }

    @Override
    public Querier querier(long minTimeMillis, long maxTimeMillis) {
        return new Querier() {
            @Override
            public SeriesSet select(boolean sorted, SelectHints hints, List<LabelMatcher> matchers) {
                long start = hints == null ? minTimeMillis : Math.max(minTimeMillis, hints.startMillis());
                long end = hints == null ? maxTimeMillis : Math.min(maxTimeMillis, hints.endMillis());
                List<SeriesWindow> selected = matching(matchers);
                if (sorted) {
                    selected.sort((a, b) -> a.labels.compareTo(b.labels));
                }
                return new WindowSeriesSet(selected, start, end);
            }

            @Override
            public List<String> labelValues(String name, List<LabelMatcher> matchers) {
                TreeSet<String> values = new TreeSet<>();
                for (SeriesWindow window : matching(matchers)) {
                    if (window.labels.has(name)) {
                        values.add(window.labels.get(name));
                    }
                }
                return new ArrayList<>(values);
            }

            @Override
            public List<String> labelNames(List<LabelMatcher> matchers) {
                TreeSet<String> names = new TreeSet<>();
                for (SeriesWindow window : matching(matchers)) {
                    names.addAll(window.labels.names());
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

    /** Cursor over selected series; skips series with no sample in range; one reused sample buffer. */
    private static final class WindowSeriesSet implements SeriesSet {
        private final List<SeriesWindow> selected;
        private final long startMillis;
        private final long endMillis;
        private final SampleArrays buffer = new SampleArrays(64);
        private int index = -1;

        WindowSeriesSet(List<SeriesWindow> selected, long startMillis, long endMillis) {
            this.selected = selected;
            this.startMillis = startMillis;
            this.endMillis = endMillis;
        }

        @Override
        public boolean next() {
            while (++index < selected.size()) {
                buffer.clear();
                selected.get(index).copyInto(buffer, startMillis, endMillis);
                if (buffer.length() > 0) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public Labels labels() {
            return selected.get(index).labels;
        }

        @Override
        public SampleArrays samples() {
            return buffer;
        }
    }

    /** One series' samples in time order; guarded by its own monitor. */
    private static final class SeriesWindow {
        final Labels labels;
        private long[] timestamps = new long[8];
        private double[] values = new double[8];
        private int start;
        private int end;

        SeriesWindow(Labels labels) {
            this.labels = labels;
        }

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

        synchronized boolean isEmpty() {
            return start == end;
        }

        /** Appends the samples in {@code [startMillis, endMillis]} to {@code out} (binary search for the first). */
        synchronized void copyInto(SampleArrays out, long startMillis, long endMillis) {
            int from = Arrays.binarySearch(timestamps, start, end, startMillis);
            if (from < 0) {
                from = -from - 1;
            }
            for (int i = from; i < end && timestamps[i] <= endMillis; i++) {
                out.add(timestamps[i], values[i]);
            }
        }
    }
}
