package io.kprom.processor.rules;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.Labels;
import io.kprom.promql.storage.Querier;
import io.kprom.promql.storage.SampleArrays;
import io.kprom.promql.storage.SelectHints;
import io.kprom.promql.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Union of two queriers whose series are disjoint (the rule window and the results of earlier
 * rules in the same evaluation). Sorted selects are merged by labels. Single query thread.
 */
final class MergedQuerier implements Querier {
    private final Querier first;
    private final Querier second;

    MergedQuerier(Querier first, Querier second) {
        this.first = first;
        this.second = second;
    }

    @Override
    public SeriesSet select(boolean sorted, SelectHints hints, List<LabelMatcher> matchers) {
        TreeMap<Labels, SampleArrays> all = new TreeMap<>();
        for (Querier querier : List.of(first, second)) {
            try (SeriesSet set = querier.select(sorted, hints, matchers)) {
                while (set.next()) {
                    all.put(set.labels(), set.samples().copy());
                }
            }
        }
        var iterator = all.entrySet().iterator();
        return new SeriesSet() {
            private java.util.Map.Entry<Labels, SampleArrays> current;

            @Override
            public boolean next() {
                current = iterator.hasNext() ? iterator.next() : null;
                return current != null;
            }

            @Override
            public Labels labels() {
                return current.getKey();
            }

            @Override
            public SampleArrays samples() {
                return current.getValue();
            }
        };
    }

    @Override
    public List<String> labelValues(String name, List<LabelMatcher> matchers) {
        TreeSet<String> values = new TreeSet<>(first.labelValues(name, matchers));
        values.addAll(second.labelValues(name, matchers));
        return new ArrayList<>(values);
    }

    @Override
    public List<String> labelNames(List<LabelMatcher> matchers) {
        TreeSet<String> names = new TreeSet<>(first.labelNames(matchers));
        names.addAll(second.labelNames(matchers));
        return new ArrayList<>(names);
    }

    @Override
    public void close() {
        first.close();
        second.close();
    }
}
