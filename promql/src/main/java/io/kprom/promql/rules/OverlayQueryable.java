package io.kprom.promql.rules;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.Labels;
import io.kprom.promql.storage.InMemoryQuerier;
import io.kprom.promql.storage.Querier;
import io.kprom.promql.storage.Queryable;
import io.kprom.promql.storage.SampleArrays;
import io.kprom.promql.storage.SelectHints;
import io.kprom.promql.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link Queryable} that shows a base storage plus samples a group's earlier rules produced in
 * the current evaluation, so a later rule sees them even when the real storage has not received
 * them yet (Prometheus gets this by committing each rule's samples to its TSDB before the next
 * rule runs). Where both have a sample at the same timestamp, the overlay wins.
 *
 * <p>Not thread-safe: add between queries, on the evaluating thread.
 */
public final class OverlayQueryable implements Queryable {
    private final Queryable base;
    private final InMemoryQuerier overlay = new InMemoryQuerier();

    public OverlayQueryable(Queryable base) {
        this.base = base;
    }

    /** Adds one sample; per series, timestamps must ascend. */
    public void add(Labels labels, long timestampMillis, double value) {
        overlay.append(labels, timestampMillis, value);
    }

    public boolean isEmpty() {
        return overlay.series().isEmpty();
    }

    @Override
    public Querier querier(long minTimeMillis, long maxTimeMillis) {
        if (overlay.series().isEmpty()) {
            return base.querier(minTimeMillis, maxTimeMillis);
        }
        Querier baseQuerier = base.querier(minTimeMillis, maxTimeMillis);
        return new Querier() {
            @Override
            public SeriesSet select(boolean sorted, SelectHints hints, List<LabelMatcher> matchers) {
                TreeMap<Labels, SampleArrays> merged = new TreeMap<>();
                try (SeriesSet set = baseQuerier.select(true, hints, matchers)) {
                    while (set.next()) {
                        merged.put(set.labels(), set.samples().copy());
                    }
                }
                SelectHints bounded = hints != null ? hints
                        : new SelectHints(minTimeMillis, maxTimeMillis, 0, null, 0);
                try (SeriesSet set = overlay.select(true, bounded, matchers)) {
                    while (set.next()) {
                        SampleArrays extra = set.samples();
                        if (extra.length() == 0) {
                            continue;
                        }
                        merged.merge(set.labels(), extra.copy(), OverlayQueryable::mergeSamples);
                    }
                }
                return new ListSeriesSet(new ArrayList<>(merged.entrySet()));
            }

            @Override
            public List<String> labelValues(String name, List<LabelMatcher> matchers) {
                TreeSet<String> values = new TreeSet<>(baseQuerier.labelValues(name, matchers));
                values.addAll(overlay.labelValues(name, matchers));
                return new ArrayList<>(values);
            }

            @Override
            public List<String> labelNames(List<LabelMatcher> matchers) {
                TreeSet<String> names = new TreeSet<>(baseQuerier.labelNames(matchers));
                names.addAll(overlay.labelNames(matchers));
                return new ArrayList<>(names);
            }

            @Override
            public void close() {
                baseQuerier.close();
            }
        };
    }

    private static SampleArrays mergeSamples(SampleArrays base, SampleArrays extra) {
        SampleArrays out = new SampleArrays(base.length() + extra.length());
        int i = 0;
        int j = 0;
        while (i < base.length() || j < extra.length()) {
            if (j >= extra.length() || i < base.length() && base.timestamp(i) < extra.timestamp(j)) {
                out.add(base.timestamp(i), base.value(i));
                i++;
            } else {
                if (i < base.length() && base.timestamp(i) == extra.timestamp(j)) {
                    i++;
                }
                out.add(extra.timestamp(j), extra.value(j));
                j++;
            }
        }
        return out;
    }

    private static final class ListSeriesSet implements SeriesSet {
        private final List<java.util.Map.Entry<Labels, SampleArrays>> entries;
        private int index = -1;

        ListSeriesSet(List<java.util.Map.Entry<Labels, SampleArrays>> entries) {
            this.entries = entries;
        }

        @Override
        public boolean next() {
            return ++index < entries.size();
        }

        @Override
        public Labels labels() {
            return entries.get(index).getKey();
        }

        @Override
        public SampleArrays samples() {
            return entries.get(index).getValue();
        }
    }
}
