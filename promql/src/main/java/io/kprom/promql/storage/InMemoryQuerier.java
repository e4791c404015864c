package io.kprom.promql.storage;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.Labels;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link Querier} over series held in memory, for tests and for small rule windows.
 * {@link #append} is not thread-safe with concurrent queries; append first, then query.
 */
public final class InMemoryQuerier implements Querier {
    private final TreeMap<Labels, SampleArrays> series = new TreeMap<>();

    /** Appends a sample; timestamps of one series must be appended in ascending order. */
    public InMemoryQuerier append(Labels labels, long timestampMillis, double value) {
        series.computeIfAbsent(labels, l -> new SampleArrays()).add(timestampMillis, value);
        return this;
    }

    public Map<Labels, SampleArrays> series() {
        return series;
    }

    @Override
    public SeriesSet select(boolean sorted, SelectHints hints, List<LabelMatcher> matchers) {
        long start = hints == null ? Long.MIN_VALUE : hints.startMillis();
        long end = hints == null ? Long.MAX_VALUE : hints.endMillis();
        Iterator<Map.Entry<Labels, SampleArrays>> entries = series.entrySet().iterator();
        return new SeriesSet() {
            private Labels labels;
            private final SampleArrays samples = new SampleArrays();

            @Override
            public boolean next() {
                while (entries.hasNext()) {
                    Map.Entry<Labels, SampleArrays> entry = entries.next();
                    if (!matchesAll(entry.getKey(), matchers)) {
                        continue;
                    }
                    samples.clear();
                    SampleArrays all = entry.getValue();
                    for (int i = 0; i < all.length(); i++) {
                        long t = all.timestamp(i);
                        if (t >= start && t <= end) {
                            samples.add(t, all.value(i));
                        }
                    }
                    labels = entry.getKey();
                    return true;
                }
                return false;
            }

            @Override
            public Labels labels() {
                return labels;
            }

            @Override
            public SampleArrays samples() {
                return samples;
            }
        };
    }

    @Override
    public List<String> labelValues(String name, List<LabelMatcher> matchers) {
        TreeSet<String> values = new TreeSet<>();
        for (Labels labels : series.keySet()) {
            if (matchesAll(labels, matchers) && labels.has(name)) {
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

    private static boolean matchesAll(Labels labels, List<LabelMatcher> matchers) {
        for (LabelMatcher matcher : matchers) {
            if (!matcher.matches(labels)) {
                return false;
            }
        }
        return true;
    }
}
