package io.kprom.processor;

import static io.kprom.processor.TopologyFixture.key;
import static io.kprom.processor.TopologyFixture.scrape;
import static io.kprom.processor.TopologyFixture.series;
import static io.kprom.processor.TopologyFixture.target;
import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.labels.Labels;
import io.kprom.processor.config.ProcessorSettings;
import io.kprom.processor.rules.RecordingGroup;
import io.kprom.processor.rules.RecordingGroups;
import io.kprom.processor.rules.RecordingRule;
import io.kprom.processor.rules.RuleEngineGroupEvaluator;
import io.kprom.promql.engine.PromqlEngine;
import io.kprom.promql.engine.QueryOptions;
import io.kprom.promql.engine.Value;
import io.kprom.promql.rules.RuleFileLoader;
import io.kprom.promql.rules.RuleGroupSpec;
import io.kprom.promql.storage.InMemoryQuerier;
import io.kprom.schemas.avro.RawSeries;
import io.kprom.schemas.avro.ScrapeTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's six recording rules evaluated by the streaming rule stage give exactly what a direct
 * PromQL evaluation over the same output samples gives at the same timestamps, including stale
 * markers when a recorded series disappears.
 */
class RecordingRulesCorrectnessTest {
    private static final long T0 = TopologyFixture.START.toEpochMilli();
    private static final double[] BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, Double.POSITIVE_INFINITY};
    @TempDir
    Path stateDir;

    @Test
    void streamedResultsEqualDirectEvaluation() throws Exception {
        Path ruleFile = Path.of("src/test/resources/rules/seed-recording.yml");
        List<RuleGroupSpec> specs = RuleFileLoader.standard().parse(ruleFile, Files.readString(ruleFile));
        List<RecordingGroup> groups = RecordingGroups.fromSpecs(specs, Duration.ofMinutes(1), Duration.ZERO, 300_000);
        assertThat(groups).hasSize(1);
        assertThat(groups.get(0).rules()).hasSize(6);
        assertThat(groups.get(0).windowMillis()).isEqualTo(600_000);
        PromqlEngine engine = new PromqlEngine();
        ProcessorSettings settings = ProcessorSettings.builder().seriesShards(1).ruleGroups(groups)
                .ruleTick(Duration.ofSeconds(1)).targetExpiry(100, Duration.ofMinutes(10)).build();

        List<ScrapeTarget> api = List.of(target("api", "api-1:8080"), target("api", "api-2:8080"));
        List<ScrapeTarget> nodes = List.of(target("node", "node-1:9100"), target("node", "node-2:9100"));
        Random random = new Random(42);
        Map<String, double[]> counters = new TreeMap<>();
        Map<Labels, List<double[]>> out;
        try (TopologyFixture f = new TopologyFixture(settings, new RuleEngineGroupEvaluator(engine, QueryOptions.defaults()),
                stateDir)) {
            int steps = 56;
            for (int step = 0; step <= steps; step++) {
                long t = T0 + step * 15_000L;
                for (ScrapeTarget target : api) {
                    boolean errorsGone = target.getInstance().equals("api-2:8080") && step >= 16;
                    f.pipe(key(target), scrape(target, t, apiSeries(target.getInstance(), counters, random, errorsGone)));
                }
                for (ScrapeTarget target : nodes) {
                    if (target.getInstance().equals("node-2:9100") && step >= 30) {
                        if (step == 30) {
                            f.pipe(key(target), TopologyFixture.removed(target, t));
                        }
                        continue;
                    }
                    f.pipe(key(target), scrape(target, t, nodeSeries(target.getInstance(), counters, random, step)));
                }
                f.advanceTo(t + 1_000);
            }
            out = f.readSamples();
        }

        InMemoryQuerier direct = new InMemoryQuerier();
        Map<Long, Map<Labels, Double>> streamed = new TreeMap<>();
        out.forEach((labels, samples) -> {
            boolean recorded = labels.metricName().contains(":");
            for (double[] sample : samples) {
                if (recorded) {
                    streamed.computeIfAbsent((long) sample[0], t -> new TreeMap<>()).put(labels, sample[1]);
                } else {
                    direct.append(labels, (long) sample[0], sample[1]);
                }
            }
        });
        assertThat(streamed).isNotEmpty();
        RecordingGroup group = groups.get(0);
        Map<Labels, Double> previous = Map.of();
        int compared = 0;
        int staleMarkers = 0;
        for (long t = T0; t <= T0 + 56 * 15_000L; t += group.intervalMillis()) {
            Map<Labels, Double> expected = new TreeMap<>();
            for (RecordingRule rule : group.rules()) {
                Value value = engine.instantQuery((min, max) -> direct, rule.expr(), t, QueryOptions.defaults()).value();
                for (Value.Sample sample : ((Value.VectorValue) value).samples()) {
                    expected.put(sample.labels().toBuilder().set("__name__", rule.record()).build(), sample.value());
                }
            }
            Map<Labels, Double> actual = streamed.getOrDefault(t, Map.of());
            Map<Labels, Double> actualValues = new TreeMap<>();
            for (Map.Entry<Labels, Double> entry : actual.entrySet()) {
                if (TopologyFixture.isStale(entry.getValue())) {
                    assertThat(previous).as("stale marker at %d for a series recorded before", t).containsKey(entry.getKey());
                    assertThat(expected).doesNotContainKey(entry.getKey());
                    staleMarkers++;
                } else {
                    actualValues.put(entry.getKey(), entry.getValue());
                }
            }
            assertThat(actualValues).as("recorded samples at %d", t).isEqualTo(expected);
            for (Labels gone : previous.keySet()) {
                if (!expected.containsKey(gone)) {
                    assertThat(actual).as("stale marker for %s at %d", gone, t).containsKey(gone);
                }
            }
            compared += expected.size();
            previous = expected;
        }
        assertThat(compared).isGreaterThan(100);
        // node-2 is removed at step 30: both of its node:* series end with a stale marker.
        assertThat(staleMarkers).isEqualTo(2);
    }

    private static List<RawSeries> apiSeries(String instance, Map<String, double[]> counters, Random random, boolean errorsGone) {
        List<RawSeries> series = new ArrayList<>();
        for (String status : new String[] {"200", "404", "500", "503"}) {
            if (errorsGone && status.startsWith("5")) {
                continue;
            }
            double[] counter = counters.computeIfAbsent(instance + status, k -> new double[1]);
            counter[0] += status.equals("200") ? 50 + random.nextInt(50) : random.nextInt(5);
            series.add(series(counter[0], "__name__", "http_requests_total", "method", "GET", "status", status));
        }
        double cumulative = 0;
        for (double bucket : BUCKETS) {
            double[] counter = counters.computeIfAbsent(instance + "le" + bucket, k -> new double[1]);
            cumulative += random.nextInt(20);
            counter[0] = Math.max(counter[0], 0) + cumulative;
            series.add(series(counter[0], "__name__", "http_request_duration_seconds_bucket", "le",
                    bucket == Double.POSITIVE_INFINITY ? "+Inf" : Double.toString(bucket)));
        }
        return series;
    }

    private static List<RawSeries> nodeSeries(String instance, Map<String, double[]> counters, Random random, int step) {
        List<RawSeries> series = new ArrayList<>();
        for (String cpu : new String[] {"0", "1"}) {
            for (String mode : new String[] {"idle", "user", "system"}) {
                double[] counter = counters.computeIfAbsent(instance + cpu + mode, k -> new double[1]);
                counter[0] += mode.equals("idle") ? 5 + random.nextDouble() * 10 : random.nextDouble() * 5;
                series.add(series(counter[0], "__name__", "node_cpu_seconds_total", "cpu", cpu, "mode", mode));
            }
        }
        series.add(series(16e9, "__name__", "node_memory_MemTotal_bytes"));
        series.add(series(4e9 + 1e9 * Math.sin(step / 5.0) + random.nextInt(1000), "__name__", "node_memory_MemAvailable_bytes"));
        return series;
    }
}
