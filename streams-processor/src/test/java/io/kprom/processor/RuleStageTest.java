package io.kprom.processor;

import static io.kprom.processor.TopologyFixture.remoteWrite;
import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.Labels;
import io.kprom.processor.config.ProcessorSettings;
import io.kprom.processor.metrics.ProcessorMetrics;
import io.kprom.processor.rules.GroupEvaluator;
import io.kprom.processor.rules.RecordingGroup;
import io.kprom.processor.rules.RecordingRule;
import io.kprom.promql.engine.Value;
import io.kprom.promql.storage.Querier;
import io.kprom.promql.storage.SelectHints;
import io.kprom.promql.storage.SeriesSet;
import io.kprom.schemas.avro.RawSeries;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scheduling, offsets, stale markers and failure accounting of the rule stage, with a hand-written evaluator. */
class RuleStageTest {
    private static final long T0 = TopologyFixture.START.toEpochMilli();
    @TempDir
    Path stateDir;

    /** Copies the latest sample (within 60s) of every selected series, renamed to the record name. */
    static final class LatestValueEvaluator implements GroupEvaluator {
        final List<Long> evaluationTimes = new ArrayList<>();

        @Override
        public Result evaluate(RecordingGroup group, io.kprom.promql.storage.Queryable data, long evaluationTime) {
            evaluationTimes.add(evaluationTime);
            long queryTime = evaluationTime - group.queryOffsetMillis();
            List<Value.Sample> samples = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            for (RecordingRule rule : group.rules()) {
                if (rule.expr().equals("fail")) {
                    failures.add(rule.record() + ": boom");
                    continue;
                }
                try (Querier querier = data.querier(queryTime - 60_000, queryTime);
                        SeriesSet set = querier.select(true, new SelectHints(queryTime - 60_000, queryTime, 0, null, 0),
                                group.selectors().get(0))) {
                    while (set.next()) {
                        int last = set.samples().length() - 1;
                        double value = set.samples().value(last);
                        if (Double.doubleToRawLongBits(value) != io.kprom.processor.target.TargetStageProcessor.STALE_NAN_BITS) {
                            samples.add(new Value.Sample(set.labels().toBuilder().setAll(rule.labels()).set("__name__", rule.record()).build(),
                                    queryTime, value));
                        }
                    }
                }
            }
            return new Result(samples, failures);
        }
    }

    private static RecordingGroup group(String name, long offsetMillis, String... exprs) {
        List<RecordingRule> rules = new ArrayList<>();
        for (int i = 0; i < exprs.length; i++) {
            rules.add(new RecordingRule("rec:" + name + ":" + i, exprs[i], Labels.of("team", "a")));
        }
        return new RecordingGroup(name, 30_000, offsetMillis, 0, rules,
                List.of(List.of(LabelMatcher.equal("__name__", name + "_in"))), 120_000);
    }

    private static RawSeries in(String group, String instance, long timestamp, double value) {
        return RawSeries.newBuilder().setLabels(Labels.of("__name__", group + "_in", "instance", instance).toList())
                .setTimestamps(List.of(timestamp)).setValues(List.of(value)).build();
    }

    @Test
    void evaluatesAtAlignedTimesWithQueryOffsetAndMarksVanishedResultsStale() {
        LatestValueEvaluator evaluator = new LatestValueEvaluator();
        ProcessorSettings settings = ProcessorSettings.builder().ruleGroups(List.of(group("g", 10_000, "x")))
                .ruleTick(Duration.ofSeconds(1)).build();
        try (TopologyFixture f = new TopologyFixture(settings, evaluator, stateDir)) {
            f.raw.pipeInput("rw", remoteWrite(T0, List.of(in("g", "a", T0 + 5_000, 1), in("g", "b", T0 + 5_000, 2))), T0);
            f.advanceTo(T0 + 31_000);
            Map<Labels, List<double[]>> out = f.readSamples();
            Labels a = Labels.of("__name__", "rec:g:0", "instance", "a", "team", "a");
            Labels b = Labels.of("__name__", "rec:g:0", "instance", "b", "team", "a");
            // Evaluated at T0+30s (aligned), queried and stamped at T0+20s (query_offset 10s).
            assertThat(out.get(a)).containsExactly(new double[] {T0 + 20_000, 1});
            assertThat(out.get(b)).containsExactly(new double[] {T0 + 20_000, 2});
            f.raw.pipeInput("rw", remoteWrite(T0 + 35_000, List.of(in("g", "a", T0 + 35_000, 3),
                    in("g", "b", T0 + 35_000, io.kprom.processor.target.TargetStageProcessor.STALE_NAN))), T0 + 35_000);
            f.advanceTo(T0 + 61_000);
            out = f.readSamples();
            assertThat(out.get(a)).containsExactly(new double[] {T0 + 50_000, 3});
            assertThat(out.get(b)).hasSize(1);
            assertThat(out.get(b).get(0)[0]).isEqualTo(T0 + 50_000);
            assertThat(TopologyFixture.isStale(out.get(b).get(0)[1])).isTrue();
            assertThat(evaluator.evaluationTimes).allMatch(time -> time % 30_000 == 0);
        }
    }

    @Test
    void missedIterationsAreSkippedAndCountedLikePrometheus() {
        LatestValueEvaluator evaluator = new LatestValueEvaluator();
        ProcessorSettings settings = ProcessorSettings.builder().ruleGroups(List.of(group("m", 0, "x"))).build();
        try (TopologyFixture f = new TopologyFixture(settings, evaluator, stateDir)) {
            f.advanceTo(T0 + 1_000);
            double missed = ProcessorMetrics.RULE_GROUP_ITERATIONS_MISSED.labelValues("m").get();
            f.advanceTo(T0 + 121_000);
            assertThat(evaluator.evaluationTimes).containsExactly(T0, T0 + 120_000);
            assertThat(ProcessorMetrics.RULE_GROUP_ITERATIONS_MISSED.labelValues("m").get()).isEqualTo(missed + 3);
        }
    }

    @Test
    void failingRuleIsCountedAndTheOthersStillRecord() {
        ProcessorSettings settings = ProcessorSettings.builder().ruleGroups(List.of(group("f", 0, "fail", "x"))).build();
        try (TopologyFixture f = new TopologyFixture(settings, new LatestValueEvaluator(), stateDir)) {
            double failures = ProcessorMetrics.RULE_EVALUATION_FAILURES.labelValues("f").get();
            f.raw.pipeInput("rw", remoteWrite(T0, List.of(in("f", "a", T0 + 1_000, 7))), T0);
            f.advanceTo(T0 + 31_000);
            assertThat(f.readSamples()).containsKey(Labels.of("__name__", "rec:f:1", "instance", "a", "team", "a"));
            assertThat(ProcessorMetrics.RULE_EVALUATION_FAILURES.labelValues("f").get()).isEqualTo(failures + 1);
        }
    }

    @Test
    void windowForgetsSamplesOlderThanTheGroupNeeds() {
        LatestValueEvaluator evaluator = new LatestValueEvaluator();
        ProcessorSettings settings = ProcessorSettings.builder().ruleGroups(List.of(group("w", 0, "x"))).build();
        try (TopologyFixture f = new TopologyFixture(settings, evaluator, stateDir)) {
            f.raw.pipeInput("rw", remoteWrite(T0, List.of(in("w", "old", T0 + 1_000, 1))), T0);
            f.advanceTo(T0 + 31_000);
            f.readSamples();
            for (long t = T0 + 60_000; t <= T0 + 300_000; t += 30_000) {
                f.raw.pipeInput("rw", remoteWrite(t, List.of(in("w", "new", t, 2))), t);
                f.advanceTo(t + 1_000);
            }
            var store = f.driver.<org.apache.kafka.common.utils.Bytes, byte[]>getKeyValueStore(
                    io.kprom.processor.rules.RuleStageProcessor.RULE_SAMPLES_STORE);
            long remaining = 0;
            try (var iterator = store.all()) {
                while (iterator.hasNext()) {
                    long timestamp = java.nio.ByteBuffer.wrap(iterator.next().key.get()).getLong(12);
                    assertThat(timestamp).isGreaterThan(T0 + 300_000 + 30_000 - 120_000);
                    remaining++;
                }
            }
            assertThat(remaining).isPositive();
        }
    }
}
