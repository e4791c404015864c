package io.kprom.promql.engine;

import io.kprom.common.labels.Labels;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Allocation-lean label-set transformations used once per series (never per sample). */
final class LabelOps {
    private LabelOps() {
    }

    static Labels dropMetricName(Labels labels) {
        if (labels.size() == 0 || !labels.name(0).equals(Labels.METRIC_NAME) && !labels.has(Labels.METRIC_NAME)) {
            return labels;
        }
        return without(labels, List.of(Labels.METRIC_NAME));
    }

    /** Only the named labels. */
    static Labels keep(Labels labels, Collection<String> names) {
        List<String> kept = new ArrayList<>(names.size() * 2);
        for (int i = 0; i < labels.size(); i++) {
            if (names.contains(labels.name(i))) {
                kept.add(labels.name(i));
                kept.add(labels.value(i));
            }
        }
        return Labels.fromSortedArray(kept.toArray(new String[0]));
    }

    /** All but the named labels. */
    static Labels without(Labels labels, Collection<String> names) {
        List<String> kept = new ArrayList<>(labels.size() * 2);
        for (int i = 0; i < labels.size(); i++) {
            if (!names.contains(labels.name(i))) {
                kept.add(labels.name(i));
                kept.add(labels.value(i));
            }
        }
        if (kept.size() == labels.size() * 2) {
            return labels;
        }
        return Labels.fromSortedArray(kept.toArray(new String[0]));
    }

    /** All but the named labels and the metric name. */
    static Labels withoutAndName(Labels labels, Collection<String> names) {
        List<String> kept = new ArrayList<>(labels.size() * 2);
        for (int i = 0; i < labels.size(); i++) {
            String name = labels.name(i);
            if (!name.equals(Labels.METRIC_NAME) && !names.contains(name)) {
                kept.add(name);
                kept.add(labels.value(i));
            }
        }
        return Labels.fromSortedArray(kept.toArray(new String[0]));
    }

    /** Prometheus 3.x validates names as UTF-8 (Java strings always are): only the empty name is invalid. */
    static boolean isValidLabelName(String name) {
        return !name.isEmpty();
    }
}
