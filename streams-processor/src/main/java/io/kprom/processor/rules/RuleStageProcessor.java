package io.kprom.processor.rules;

import io.kprom.common.labels.Labels;
import io.kprom.processor.config.ProcessorSettings;
import io.kprom.processor.metrics.ProcessorMetrics;
import io.kprom.processor.series.SeriesHash;
import io.kprom.processor.series.SeriesShards;
import io.kprom.processor.series.ShardedBatches;
import io.kprom.processor.state.BinaryReader;
import io.kprom.processor.state.BinaryWriter;
import io.kprom.processor.state.LabelsCodec;
import io.kprom.processor.target.TargetStageProcessor;
import io.kprom.promql.engine.Value;
import io.kprom.schemas.avro.Series;
import io.kprom.schemas.avro.SeriesBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rule stage: input is the rule-input topic keyed by group name, so each group lives in one
 * task. It keeps each group's {@link RuleWindow} and, on a wall-clock punctuation, evaluates every
 * owned group whose next aligned evaluation time ({@code k * interval}) has come: the rules query
 * at {@code T - query_offset}, results are stamped with that time and written, one batch per
 * shard, to {@code metrics.samples}; a recorded series missing from this evaluation gets a stale
 * marker. Like Prometheus, an evaluation that falls more than one interval behind skips the missed
 * ones and counts them. Not thread-safe (one stream thread).
 *
 * <p>Around a broker outage the rule stage's input stops while the scrapers buffer: an evaluation at query time
 * {@code q} needs the pipeline to have run since {@code q} (the query offset is how long data takes to arrive
 * through a healthy pipeline), otherwise it would record values computed from a window that lacks the buffered
 * scrapes. The pipeline counts as not running at a tick that finds the broker unreachable, and at a tick that comes
 * {@link #STALL} or more (real time) after the previous one: the stream thread was blocked, typically in a commit
 * for the whole outage, and may run its first tick after the broker is back but before the buffered scrapes are.
 * Such iterations are skipped and counted as missed. Every evaluation is at a later aligned time than the last one
 * (kept in the changelogged state, rolled back with an aborted transaction's output), so a series' recorded
 * samples are always written in timestamp order.
 */
public final class RuleStageProcessor implements Processor<String, SeriesBatch, String, SeriesBatch> {
    public static final String RULE_SERIES_STORE = "rule-series";
    public static final String RULE_SAMPLES_STORE = "rule-samples";
    public static final String RULE_STATE_STORE = "rule-state";
    public static final String RECORDED_SINK = "recorded-sink";
    private static final Logger LOG = LoggerFactory.getLogger(RuleStageProcessor.class);
    /** A gap this long (real time, at least 5 ticks) from the end of one tick to the next means the thread was blocked. */
    static final Duration STALL = Duration.ofSeconds(5);

    private final ProcessorSettings settings;
    private final GroupEvaluator evaluator;
    private final BooleanSupplier brokerReachable;
    private final LongSupplier nanoClock;
    private final long stallNanos;
    /** Wall-clock time of the last tick that found the pipeline not running; none seen since this processor was made. */
    private long lastNotRunningWallMillis = Long.MIN_VALUE;
    /** {@link #nanoClock} at the end of the previous tick; kept across a task's re-initialisation (a revive after a failed commit). */
    private long previousTickNanos;
    private boolean ticked;
    private final Map<String, RecordingGroup> groups = new HashMap<>();
    private final Map<String, RuleWindow> windows = new HashMap<>();
    private ProcessorContext<String, SeriesBatch> context;
    private KeyValueStore<Bytes, byte[]> seriesStore;
    private KeyValueStore<Bytes, byte[]> samplesStore;
    private KeyValueStore<String, byte[]> stateStore;

    public RuleStageProcessor(ProcessorSettings settings, GroupEvaluator evaluator) {
        this(settings, evaluator, () -> true);
    }

    /**
     * @param brokerReachable whether the Kafka cluster answers now; asked on every tick (see the class comment)
     */
    public RuleStageProcessor(ProcessorSettings settings, GroupEvaluator evaluator, BooleanSupplier brokerReachable) {
        this(settings, evaluator, brokerReachable, System::nanoTime);
    }

    /** @param nanoClock real elapsed time, to tell a blocked stream thread (tests substitute their own) */
    RuleStageProcessor(ProcessorSettings settings, GroupEvaluator evaluator, BooleanSupplier brokerReachable,
            LongSupplier nanoClock) {
        this.settings = settings;
        this.evaluator = evaluator;
        this.brokerReachable = brokerReachable;
        this.nanoClock = nanoClock;
        this.stallNanos = Math.max(STALL.toNanos(), 5 * settings.ruleTick().toNanos());
        Set<Integer> ids = new HashSet<>();
        for (RecordingGroup group : settings.ruleGroups()) {
            if (!ids.add(group.name().hashCode())) {
                throw new IllegalArgumentException("rule group names collide in the window key space: " + group.name());
            }
            groups.put(group.name(), group);
        }
    }

    @Override
    public void init(ProcessorContext<String, SeriesBatch> context) {
        this.context = context;
        this.seriesStore = context.getStateStore(RULE_SERIES_STORE);
        this.samplesStore = context.getStateStore(RULE_SAMPLES_STORE);
        this.stateStore = context.getStateStore(RULE_STATE_STORE);
        // A re-initialised task reads restored stores: windows built on the previous stores are void.
        windows.clear();
        context.schedule(settings.ruleTick(), PunctuationType.WALL_CLOCK_TIME, this::evaluateDue);
    }

    @Override
    public void process(Record<String, SeriesBatch> record) {
        ProcessorMetrics.RECORDS_IN.labelValues(settings.ruleInputTopic()).inc();
        RecordingGroup group = record.key() == null ? null : groups.get(record.key());
        if (group == null || record.value() == null) {
            ProcessorMetrics.RECORDS_DROPPED.labelValues("unknown_rule_group").inc();
            return;
        }
        GroupState state = state(group);
        // Samples older than what the next evaluation can read are of no use.
        long minTimestamp = state == null ? Long.MIN_VALUE : state.lastQueryTime() + group.intervalMillis() - group.windowMillis();
        RuleWindow window = window(group);
        for (Series series : record.value().getSeries()) {
            window.append(series.getLabels(), SeriesHash.of(series.getLabels()), series.getTimestamps(), series.getValues(),
                    minTimestamp);
        }
    }

    private void evaluateDue(long nowMillis) {
        long sincePreviousTick = nanoClock.getAsLong() - previousTickNanos;
        boolean stalled = ticked && sincePreviousTick >= stallNanos;
        try {
            evaluateDue(nowMillis, stalled, sincePreviousTick);
        } finally {
            // Measured from the end of this tick: the group's own evaluation time is not a stall.
            ticked = true;
            previousTickNanos = nanoClock.getAsLong();
        }
    }

    private void evaluateDue(long nowMillis, boolean stalled, long sincePreviousTick) {
        boolean reachable = brokerReachable.getAsBoolean();
        if (!reachable || stalled) {
            if (stalled || lastNotRunningWallMillis < nowMillis - settings.ruleTick().toMillis() * 2) {
                LOG.info("rule stage task {}: {}; no evaluation of a query time before now", context.taskId(),
                        stalled ? "no tick for " + sincePreviousTick / 1_000_000 + " ms" : "Kafka unreachable");
            }
            lastNotRunningWallMillis = nowMillis;
            if (!reachable) {
                return;
            }
        }
        int partition = context.taskId().partition();
        for (RecordingGroup group : settings.ruleGroups()) {
            if (RulePartitioning.partitionOf(group.name(), settings.ruleInputPartitions()) != partition) {
                continue;
            }
            long due = Math.floorDiv(nowMillis, group.intervalMillis()) * group.intervalMillis();
            GroupState state = state(group);
            if (state != null && due <= state.lastEvaluationTime()) {
                continue;
            }
            if (lastNotRunningWallMillis != Long.MIN_VALUE && due - group.queryOffsetMillis() <= lastNotRunningWallMillis) {
                // The scrapes for this query time may still be on their way; counted as missed by the next evaluation.
                continue;
            }
            if (state != null) {
                long missed = (due - state.lastEvaluationTime()) / group.intervalMillis() - 1;
                if (missed > 0) {
                    ProcessorMetrics.RULE_GROUP_ITERATIONS_MISSED.labelValues(group.name()).inc(missed);
                    ProcessorMetrics.RULE_GROUP_ITERATIONS.labelValues(group.name()).inc(missed);
                }
            }
            evaluate(group, due, state);
        }
    }

    private void evaluate(RecordingGroup group, long evaluationTime, GroupState previous) {
        long queryTime = evaluationTime - group.queryOffsetMillis();
        long started = System.nanoTime();
        RuleWindow window = window(group);
        GroupEvaluator.Result result;
        try {
            result = evaluator.evaluate(group, window, evaluationTime);
        } catch (RuntimeException e) {
            result = new GroupEvaluator.Result(List.of(), List.of(e.toString()));
        }
        ProcessorMetrics.RULE_GROUP_ITERATIONS.labelValues(group.name()).inc();
        ProcessorMetrics.RULE_EVALUATIONS.labelValues(group.name()).inc(group.rules().size());
        if (!result.failures().isEmpty()) {
            ProcessorMetrics.RULE_EVALUATION_FAILURES.labelValues(group.name()).inc(result.failures().size());
            LOG.warn("rule group {} at {}: {} rule(s) failed: {}", group.name(), queryTime, result.failures().size(),
                    result.failures());
        }
        ShardedBatches out = new ShardedBatches(settings.seriesShards(), settings.maxSeriesPerRecord());
        List<Labels> current = new ArrayList<>(result.samples().size());
        Set<Labels> currentSet = new HashSet<>();
        for (Value.Sample sample : result.samples()) {
            out.add(sample.labels(), queryTime, sample.value());
            if (group.selects(sample.labels())) {
                // Later evaluations of this group may read its own recorded series over a range.
                window.append(sample.labels(), List.of(queryTime), List.of(sample.value()), Long.MIN_VALUE);
            }
            current.add(sample.labels());
            currentSet.add(sample.labels());
        }
        if (previous != null) {
            for (Labels labels : previous.recorded()) {
                if (!currentSet.contains(labels)) {
                    out.add(labels, queryTime, TargetStageProcessor.STALE_NAN);
                    if (group.selects(labels)) {
                        window.append(labels, List.of(queryTime), List.of(TargetStageProcessor.STALE_NAN), Long.MIN_VALUE);
                    }
                    ProcessorMetrics.STALE_MARKERS.labelValues("recorded_series_gone").inc();
                }
            }
        }
        int samples = out.sampleCount();
        out.forEach((shard, batch) -> {
            context.forward(new Record<>(SeriesShards.key(shard), batch, queryTime), RECORDED_SINK);
            ProcessorMetrics.RECORDS_OUT.labelValues(settings.samplesTopic()).inc();
        });
        ProcessorMetrics.SAMPLES_OUT.labelValues("recorded").inc(samples);
        stateStore.put(group.name(), new GroupState(evaluationTime, queryTime, current).encode());
        window.prune(queryTime + group.intervalMillis() - group.windowMillis());
        double seconds = (System.nanoTime() - started) / 1e9;
        ProcessorMetrics.RULE_GROUP_LAST_DURATION.labelValues(group.name()).set(seconds);
        ProcessorMetrics.RULE_GROUP_LAST_EVALUATION.labelValues(group.name()).set(evaluationTime / 1000.0);
        ProcessorMetrics.RULE_GROUP_LAST_SAMPLES.labelValues(group.name()).set(result.samples().size());
    }

    private RuleWindow window(RecordingGroup group) {
        return windows.computeIfAbsent(group.name(), name -> new RuleWindow(name.hashCode(), seriesStore, samplesStore));
    }

    private GroupState state(RecordingGroup group) {
        byte[] bytes = stateStore.get(group.name());
        return bytes == null ? null : GroupState.decode(bytes);
    }

    /** Value of the rule-state store: last evaluation and query time, and the series it recorded. */
    record GroupState(long lastEvaluationTime, long lastQueryTime, List<Labels> recorded) {
        byte[] encode() {
            BinaryWriter writer = new BinaryWriter(64 + 64 * recorded.size());
            writer.writeLong(lastEvaluationTime).writeLong(lastQueryTime).writeVarInt(recorded.size());
            recorded.forEach(labels -> LabelsCodec.write(writer, labels));
            return writer.toByteArray();
        }

        static GroupState decode(byte[] bytes) {
            BinaryReader reader = new BinaryReader(bytes);
            long evaluation = reader.readLong();
            long query = reader.readLong();
            int count = reader.readVarInt();
            List<Labels> recorded = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                recorded.add(LabelsCodec.read(reader));
            }
            return new GroupState(evaluation, query, recorded);
        }
    }
}
