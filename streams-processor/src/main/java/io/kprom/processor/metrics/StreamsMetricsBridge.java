package io.kprom.processor.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Exposes Kafka Streams' own metrics through the default Prometheus registry:
 * {@code kprom_processor_streams_state{client_id,state}} (1 for the current state) and every numeric
 * metric of the thread, task, state-store-free client groups and the consumer's lag metrics as
 * {@code kafka_streams_<group>_<name>} gauges with the metric tags as labels. Registered once per
 * JVM; each running instance registers itself. Thread-safe.
 */
public final class StreamsMetricsBridge implements MultiCollector {
    private static final Set<String> GROUPS = Set.of("stream-metrics", "stream-thread-metrics",
            "consumer-fetch-manager-metrics", "producer-metrics", "stream-task-metrics");
    private static final Map<KafkaStreams, String> LIVE = new ConcurrentHashMap<>();

    static {
        PrometheusRegistry.defaultRegistry.register(new StreamsMetricsBridge());
    }

    private StreamsMetricsBridge() {
    }

    public static void register(KafkaStreams streams, String clientId) {
        LIVE.put(streams, clientId);
    }

    public static void unregister(KafkaStreams streams) {
        LIVE.remove(streams);
    }

    @Override
    public MetricSnapshots collect() {
        GaugeSnapshot.Builder state = GaugeSnapshot.builder().name("kprom_processor_streams_state")
                .help("Kafka Streams client state (1 for the current one).");
        Map<String, GaugeSnapshot.Builder> gauges = new TreeMap<>();
        Map<String, Set<Labels>> seen = new TreeMap<>();
        LIVE.forEach((streams, clientId) -> {
            state.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("client_id", clientId, "state", streams.state().name())).value(1).build());
            for (Map.Entry<MetricName, ? extends Metric> entry : streams.metrics().entrySet()) {
                MetricName name = entry.getKey();
                if (!GROUPS.contains(name.group()) || !(entry.getValue().metricValue() instanceof Number number)) {
                    continue;
                }
                String metric = sanitize("kafka_streams_" + name.group().replace("-metrics", "") + "_" + name.name());
                List<String> pairs = new ArrayList<>();
                new TreeMap<>(name.tags()).forEach((key, value) -> {
                    pairs.add(sanitize(key));
                    pairs.add(value);
                });
                Labels labels = Labels.of(pairs.toArray(new String[0]));
                if (!seen.computeIfAbsent(metric, m -> new HashSet<>()).add(labels)) {
                    continue;
                }
                gauges.computeIfAbsent(metric, m -> GaugeSnapshot.builder().name(m).help(name.description()))
                        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels)
                                .value(number.doubleValue()).build());
            }
        });
        List<MetricSnapshot> snapshots = new ArrayList<>();
        snapshots.add(state.build());
        gauges.values().forEach(builder -> snapshots.add(builder.build()));
        return new MetricSnapshots(snapshots);
    }

    private static String sanitize(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            sb.append(Character.isLetterOrDigit(c) && c < 128 ? c : '_');
        }
        return sb.toString();
    }
}
