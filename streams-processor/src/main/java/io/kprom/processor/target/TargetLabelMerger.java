package io.kprom.processor.target;

import io.kprom.common.labels.Labels;

/**
 * Attaches target labels to scraped series the way Prometheus does before metric relabeling.
 * With {@code honor_labels: true} scraped labels win; otherwise target labels win and a clashing
 * scraped label is kept as {@code exported_<name>} (prefixed again while that name is taken).
 * Labels starting with {@code __} other than {@code __name__} are not target labels here: the
 * scraper has already removed them. Stateless and thread-safe.
 */
public final class TargetLabelMerger {
    private static final String EXPORTED_PREFIX = "exported_";

    private TargetLabelMerger() {
    }

    public static Labels merge(Labels scraped, Labels target, boolean honorLabels) {
        if (target.isEmpty()) {
            return scraped;
        }
        Labels.Builder builder = scraped.toBuilder();
        if (honorLabels) {
            for (int i = 0; i < target.size(); i++) {
                if (!scraped.has(target.name(i))) {
                    builder.set(target.name(i), target.value(i));
                }
            }
            return builder.build();
        }
        java.util.List<String[]> conflicts = new java.util.ArrayList<>();
        for (int i = 0; i < target.size(); i++) {
            String name = target.name(i);
            String clashing = scraped.get(name);
            if (clashing != null) {
                conflicts.add(new String[] {name, clashing});
            }
            builder.set(name, target.value(i));
        }
        // Shorter names first, then each takes the first free exported_ name, as Prometheus resolves them.
        conflicts.sort(java.util.Comparator.comparingInt(conflict -> conflict[0].length()));
        for (String[] conflict : conflicts) {
            String exported = EXPORTED_PREFIX + conflict[0];
            while (builder.get(exported) != null) {
                exported = EXPORTED_PREFIX + exported;
            }
            builder.set(exported, conflict[1]);
        }
        return builder.build();
    }

    /** Labels of a synthetic report series ({@code up}, ...): the target labels and the name. */
    public static Labels report(String metricName, Labels target) {
        return target.toBuilder().set(Labels.METRIC_NAME, metricName).build();
    }
}
