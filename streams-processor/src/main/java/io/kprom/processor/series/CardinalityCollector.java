package io.kprom.processor.series;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exports the active-series counts of every series-stage task in this JVM:
 * {@code kprom_processor_active_series}, {@code kprom_processor_active_series_by_job{job}}, and the
 * top N of {@code kprom_processor_series_by_metric_name{metric_name}} and
 * {@code kprom_processor_series_by_label_pair{label_name,label_value}} (the data of Prometheus's
 * {@code /api/v1/status/tsdb}). Registered once per JVM; tasks register and unregister their stats.
 */
public final class CardinalityCollector implements MultiCollector {
    private static final Set<CardinalityStats> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile int topN = 10;

    static {
        PrometheusRegistry.defaultRegistry.register(new CardinalityCollector());
    }

    private CardinalityCollector() {
    }

    public static void register(CardinalityStats stats, int exportTopN) {
        topN = exportTopN;
        LIVE.add(stats);
    }

    public static void unregister(CardinalityStats stats) {
        LIVE.remove(stats);
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, Long> jobs = new HashMap<>();
        Map<String, Long> names = new HashMap<>();
        Map<String, Long> pairs = new HashMap<>();
        long[] total = {0};
        for (CardinalityStats stats : LIVE) {
            stats.addTo(jobs, names, pairs, total);
        }
        GaugeSnapshot.Builder byJob = GaugeSnapshot.builder().name("kprom_processor_active_series_by_job")
                .help("Active series per scrape job in this processor instance.");
        jobs.forEach((job, count) -> byJob.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .labels(Labels.of("job", job)).value(count).build()));
        GaugeSnapshot.Builder byName = GaugeSnapshot.builder().name("kprom_processor_series_by_metric_name")
                .help("Active series per metric name (top N, Space-Saving estimate).");
        top(names).forEach(e -> byName.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .labels(Labels.of("metric_name", e.getKey())).value(e.getValue()).build()));
        GaugeSnapshot.Builder byPair = GaugeSnapshot.builder().name("kprom_processor_series_by_label_pair")
                .help("Active series per label name/value pair (top N, Space-Saving estimate).");
        top(pairs).forEach(e -> {
            int eq = e.getKey().indexOf('=');
            byPair.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("label_name", e.getKey().substring(0, eq), "label_value", e.getKey().substring(eq + 1)))
                    .value(e.getValue()).build());
        });
        GaugeSnapshot active = GaugeSnapshot.builder().name("kprom_processor_active_series")
                .help("Series active within the active-series window in this processor instance.")
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(total[0]).build()).build();
        return MetricSnapshots.of(active, byJob.build(), byName.build(), byPair.build());
    }

    private static List<Map.Entry<String, Long>> top(Map<String, Long> counts) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(topN).toList();
    }
}
