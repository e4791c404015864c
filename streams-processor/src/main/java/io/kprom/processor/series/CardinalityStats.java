package io.kprom.processor.series;

import io.kprom.common.labels.Labels;
import java.util.HashMap;
import java.util.Map;

/**
 * Active-series counts of one series-stage task: total, per job (exact) and per metric name and
 * per label pair (bounded {@link SpaceSavingTopK}). Guarded by its own monitor because the
 * metrics collector reads it from the HTTP thread while the stream thread updates it.
 */
public final class CardinalityStats {
    private final Map<String, Long> perJob = new HashMap<>();
    private final SpaceSavingTopK byMetricName;
    private final SpaceSavingTopK byLabelPair;
    private long total;

    public CardinalityStats(int sketchCapacity) {
        byMetricName = new SpaceSavingTopK(sketchCapacity);
        byLabelPair = new SpaceSavingTopK(sketchCapacity);
    }

    public synchronized long total() {
        return total;
    }

    public synchronized long job(String job) {
        return perJob.getOrDefault(job, 0L);
    }

    public synchronized void added(String job, Labels labels) {
        total++;
        perJob.merge(job, 1L, Long::sum);
        byMetricName.increment(labels.getOrEmpty(Labels.METRIC_NAME));
        for (int i = 0; i < labels.size(); i++) {
            if (!labels.name(i).equals(Labels.METRIC_NAME)) {
                byLabelPair.increment(labels.name(i) + "=" + labels.value(i));
            }
        }
    }

    public synchronized void removed(String job, Labels labels) {
        total--;
        perJob.computeIfPresent(job, (j, count) -> count <= 1 ? null : count - 1);
        byMetricName.decrement(labels.getOrEmpty(Labels.METRIC_NAME));
        for (int i = 0; i < labels.size(); i++) {
            if (!labels.name(i).equals(Labels.METRIC_NAME)) {
                byLabelPair.decrement(labels.name(i) + "=" + labels.value(i));
            }
        }
    }

    /** Adds this task's counts into the given maps (for the JVM-wide collector). */
    public synchronized void addTo(Map<String, Long> jobs, Map<String, Long> metricNames, Map<String, Long> labelPairs,
            long[] totalHolder) {
        totalHolder[0] += total;
        perJob.forEach((job, count) -> jobs.merge(job, count, Long::sum));
        byMetricName.snapshot().forEach(e -> metricNames.merge(e.getKey(), e.getValue(), Long::sum));
        byLabelPair.snapshot().forEach(e -> labelPairs.merge(e.getKey(), e.getValue(), Long::sum));
    }
}
