package io.kprom.processor.rules;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which rule groups need a series: the series stage asks it for every accepted series.
 * Selectors with a {@code __name__="x"} matcher are indexed by name, so a series is tested only
 * against the selectors of its own metric name plus the few without a name. Immutable, thread-safe.
 */
public final class RuleSelectorIndex {
    private record Selector(int group, List<LabelMatcher> matchers) {
    }

    private final List<RecordingGroup> groups;
    private final Map<String, List<Selector>> byName = new HashMap<>();
    private final List<Selector> unnamed = new ArrayList<>();

    public RuleSelectorIndex(List<RecordingGroup> groups) {
        this.groups = List.copyOf(groups);
        for (int g = 0; g < groups.size(); g++) {
            for (List<LabelMatcher> matchers : groups.get(g).selectors()) {
                String name = null;
                for (LabelMatcher matcher : matchers) {
                    if (matcher.type() == LabelMatcher.Type.EQUAL && matcher.name().equals(Labels.METRIC_NAME)) {
                        name = matcher.value();
                    }
                }
                Selector selector = new Selector(g, matchers);
                if (name == null) {
                    unnamed.add(selector);
                } else {
                    byName.computeIfAbsent(name, n -> new ArrayList<>()).add(selector);
                }
            }
        }
    }

    public boolean isEmpty() {
        return groups.isEmpty();
    }

    public List<RecordingGroup> groups() {
        return groups;
    }

    /** Fills {@code selected[g]} with whether group g selects the series; returns whether any does. */
    public boolean match(Labels labels, boolean[] selected) {
        java.util.Arrays.fill(selected, false);
        boolean any = false;
        List<Selector> named = byName.get(labels.getOrEmpty(Labels.METRIC_NAME));
        if (named != null) {
            any = matchInto(named, labels, selected);
        }
        if (!unnamed.isEmpty()) {
            any |= matchInto(unnamed, labels, selected);
        }
        return any;
    }

    private static boolean matchInto(List<Selector> selectors, Labels labels, boolean[] selected) {
        boolean any = false;
        for (Selector selector : selectors) {
            if (selected[selector.group]) {
                continue;
            }
            boolean all = true;
            for (LabelMatcher matcher : selector.matchers) {
                if (!matcher.matches(labels)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                selected[selector.group] = true;
                any = true;
            }
        }
        return any;
    }
}
