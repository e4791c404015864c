package io.kprom.processor.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.Labels;
import io.kprom.processor.ProcessorComponent;
import io.kprom.processor.ProcessorTopology;
import io.kprom.processor.config.ProcessorSettings;
import io.kprom.processor.metrics.ProcessorMetrics;
import io.kprom.processor.series.SeriesShards;
import io.kprom.processor.target.LocalTargetCounts;
import io.kprom.promql.engine.PromqlEngine;
import io.kprom.promql.engine.QueryOptions;
import io.kprom.schemas.avro.Series;
import io.kprom.schemas.avro.SeriesBatch;
import io.kprom.schemas.serde.KpromSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The rule stage around a broker outage, as BrokerOutageIT drives the whole pipeline: a target scraped every
 * second, a group {@code seq:max = max(seq)} evaluated every second with kprom's default 15 s query offset, the
 * rule stage's input silent for 30 s while the broker is away (the scraper buffers), then the buffered scrapes
 * arriving at once. Every recorded sample must be in timestamp order, at an aligned time, with the value the
 * complete input gives at its query time (no value computed from a window that lacks the buffered scrapes); the
 * iterations it could not evaluate correctly are skipped and counted as missed, as Prometheus counts them.
 *
 * <p>Two ways an outage reaches the rule stage: its ticks go on and find the broker unreachable
 * ({@link Outage#UNREACHABLE}, through {@link ProcessorTopology}'s wiring), or the stream thread is blocked (in a
 * commit) for the whole outage and its first tick comes after the broker is back but before the buffered scrapes
 * ({@link Outage#BLOCKED}, a rule-stage topology with a hand-driven clock for the real time between ticks).
 */
class RuleOrderAcrossOutageTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final long T0 = START.toEpochMilli();
    private static final long OFFSET = 15_000;
    private static final Labels RECORDED = Labels.of("__name__", "seq:max");

    @TempDir
    Path stateDir;

    /** A scrape of {@code seq} at second s of the test, with value s. */
    private static SeriesBatch scrape(int second) {
        return SeriesBatch.newBuilder().setSeries(List.of(Series.newBuilder()
                .setLabels(Labels.of("__name__", "seq", "job", "outage").toList())
                .setTimestamps(List.of(T0 + second * 1000L)).setValues(List.of((double) second)).build())).build();
    }

    enum Outage { UNREACHABLE, BLOCKED }

    @ParameterizedTest(name = "{0} {1} s")
    @CsvSource({"UNREACHABLE, 5", "UNREACHABLE, 30", "BLOCKED, 5", "BLOCKED, 30"})
    void recordedSamplesStayInOrderWithCompleteValuesAndSkippedIterationsAreCounted(Outage outage, int outageSeconds) {
        String groupName = "outage-" + outage + "-" + outageSeconds;
        RecordingGroup group = new RecordingGroup(groupName, 1_000, OFFSET, 0,
                List.of(new RecordingRule("seq:max", "max(seq)", Labels.EMPTY)),
                List.of(List.of(LabelMatcher.equal("__name__", "seq"))), 300_000);
        ProcessorSettings settings = ProcessorSettings.builder().ruleGroups(List.of(group)).ruleTick(Duration.ofSeconds(1))
                .build();
        Properties props = ProcessorComponent.streamsProperties(Map.of(), "rule-order-" + System.nanoTime(), "dummy:9092",
                stateDir.toString(), 0);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        AtomicBoolean reachable = new AtomicBoolean(true);
        AtomicLong nanos = new AtomicLong();
        RuleEngineGroupEvaluator evaluator = new RuleEngineGroupEvaluator(new PromqlEngine(), QueryOptions.defaults());
        Topology topology = outage == Outage.UNREACHABLE
                ? ProcessorTopology.build(settings, evaluator, new LocalTargetCounts(), reachable::get)
                : ruleStageOnly(settings, () -> new RuleStageProcessor(settings, evaluator, reachable::get, nanos::get));
        double missedBefore = ProcessorMetrics.RULE_GROUP_ITERATIONS_MISSED.labelValues(groupName).get();
        int outageStart = 41;
        int outageEnd = outageStart + outageSeconds;
        int last = outageEnd + 30;
        List<double[]> recorded = new ArrayList<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props, START)) {
            TestInputTopic<String, SeriesBatch> ruleInput = driver.createInputTopic(settings.ruleInputTopic(),
                    Serdes.String().serializer(), KpromSerdes.seriesBatch(Map.of()).serializer());
            TestOutputTopic<String, SeriesBatch> samples = driver.createOutputTopic(settings.samplesTopic(),
                    Serdes.String().deserializer(), KpromSerdes.seriesBatch(Map.of()).deserializer());
            long wall = T0;
            for (int second = 1; second <= last; second++) {
                boolean during = second >= outageStart && second < outageEnd;
                if (outage == Outage.UNREACHABLE) {
                    reachable.set(!during);
                }
                if (second == outageEnd && outage == Outage.BLOCKED) {
                    // The thread's first tick after the outage, before it has read the buffered scrapes.
                    wall = tick(driver, nanos, wall, T0 + outageEnd * 1000L);
                }
                if (second == outageEnd) {
                    // The scrapes buffered during the outage arrive, in order, at once.
                    for (int buffered = outageStart; buffered < outageEnd; buffered++) {
                        ruleInput.pipeInput(groupName, scrape(buffered), T0 + buffered * 1000L);
                    }
                }
                if (!during) {
                    ruleInput.pipeInput(groupName, scrape(second), T0 + second * 1000L);
                }
                if (during && outage == Outage.BLOCKED) {
                    continue;
                }
                // The tick a moment after the scrape: the evaluation due at this second runs.
                wall = tick(driver, nanos, wall, T0 + second * 1000L + 200);
                for (TestRecord<String, SeriesBatch> record : samples.readRecordsToList()) {
                    for (Series series : record.value().getSeries()) {
                        assertThat(Labels.fromList(series.getLabels())).isEqualTo(RECORDED);
                        for (int i = 0; i < series.getTimestamps().size(); i++) {
                            recorded.add(new double[] {series.getTimestamps().get(i), series.getValues().get(i)});
                        }
                    }
                }
            }
        }

        List<Long> timestamps = recorded.stream().map(sample -> (long) sample[0]).toList();
        assertThat(timestamps).as("recorded in timestamp order").isSorted().doesNotHaveDuplicates();
        assertThat(timestamps).allMatch(t -> (t + OFFSET) % 1_000 == 0, "evaluated at aligned times");
        for (double[] sample : recorded) {
            // max(seq) at query time q is the scrape at q: its value is q's second.
            assertThat(sample[1]).as("value recorded at %d", (long) sample[0]).isEqualTo((sample[0] - T0) / 1000);
        }
        // Before the outage: q = 1..(outageStart - 16) s. While the broker is away and until it has answered for
        // the query offset, nothing is evaluated; then q continues from just after the broker's return.
        long lastBefore = T0 + (outageStart - 1) * 1000L - OFFSET;
        long firstAfter = timestamps.stream().filter(t -> t > lastBefore).findFirst().orElseThrow();
        assertThat(timestamps).contains(lastBefore);
        assertThat(firstAfter).isGreaterThan(T0 + (outageEnd - 1) * 1000L).isLessThanOrEqualTo(T0 + (outageEnd + 1) * 1000L);
        assertThat(timestamps.get(timestamps.size() - 1)).isEqualTo(T0 + last * 1000L - OFFSET);
        long skipped = (firstAfter - lastBefore) / 1000 - 1;
        assertThat(ProcessorMetrics.RULE_GROUP_ITERATIONS_MISSED.labelValues(groupName).get() - missedBefore)
                .as("skipped iterations counted as missed").isEqualTo(skipped);
        // Every aligned time from the first recordable one to the end is either recorded or counted as missed.
        assertThat(recorded.size() + skipped).isEqualTo(last - 15);
    }

    /** Moves the wall clock and the real-time clock to {@code tickMillis}: the punctuation due by then runs once. */
    private static long tick(TopologyTestDriver driver, AtomicLong nanos, long wall, long tickMillis) {
        nanos.addAndGet(Duration.ofMillis(tickMillis - wall).toNanos());
        driver.advanceWallClockTime(Duration.ofMillis(tickMillis - wall));
        return tickMillis;
    }

    /** The rule stage as {@link ProcessorTopology} wires it (source, stores, sink), around the given processor. */
    private static Topology ruleStageOnly(ProcessorSettings settings, ProcessorSupplier<String, SeriesBatch, String, SeriesBatch> stage) {
        Serde<SeriesBatch> series = KpromSerdes.seriesBatch(Map.of());
        Topology topology = new Topology();
        topology.addSource("rule-source", Serdes.String().deserializer(), series.deserializer(), settings.ruleInputTopic());
        topology.addProcessor("rule-stage", stage, "rule-source");
        for (String store : new String[] {RuleStageProcessor.RULE_SERIES_STORE, RuleStageProcessor.RULE_SAMPLES_STORE}) {
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.Bytes(),
                    Serdes.ByteArray()), "rule-stage");
        }
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RuleStageProcessor.RULE_STATE_STORE),
                Serdes.String(), Serdes.ByteArray()), "rule-stage");
        topology.addSink(RuleStageProcessor.RECORDED_SINK, settings.samplesTopic(), Serdes.String().serializer(),
                series.serializer(), SeriesShards.partitioner(), "rule-stage");
        return topology;
    }
}
