package io.kprom.processor.series;

import io.kprom.common.labels.Labels;
import io.kprom.processor.config.ProcessorSettings;
import io.kprom.processor.config.SeriesLimits;
import io.kprom.processor.metrics.ProcessorMetrics;
import io.kprom.processor.rules.RuleSelectorIndex;
import io.kprom.processor.state.BinaryReader;
import io.kprom.processor.state.BinaryWriter;
import io.kprom.processor.state.LabelsCodec;
import io.kprom.processor.target.TargetStageProcessor;
import io.kprom.schemas.avro.Series;
import io.kprom.schemas.avro.SeriesBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The series stage: input is the internal series topic, partitioned by series shard, so every
 * series is seen by exactly one task. It enforces active-series limits (known series always pass;
 * a new series beyond the global or its job's limit is dropped and counted as
 * {@code series_limit}), keeps cardinality statistics, forwards the batch to {@code metrics.samples}
 * (same shard, same order) and forwards the series selected by recording rules to the rule stage
 * (key: group name).
 *
 * <p>The {@link #ACTIVE_SERIES_STORE} maps the 8-byte label hash to (last seen wall-clock ms, job,
 * labels). The last-seen time is rewritten at most once per refresh period, so a steady series
 * costs a changelog write only every few minutes. An in-memory {@link ActiveSeriesIndex}, rebuilt
 * from the store on init, answers "is this series active" and "which rule groups want it" without a
 * store read or decoding the series' labels.
 */
public final class SeriesStageProcessor implements Processor<String, SeriesBatch, String, SeriesBatch> {
    public static final String ACTIVE_SERIES_STORE = "active-series";
    public static final String SAMPLES_SINK = "samples-sink";
    public static final String RULE_INPUT_SINK = "rule-input-sink";
    /** Rule-group selections of up to this many groups are remembered per series as a bit mask. */
    private static final int MAX_MASKED_GROUPS = 63;

    private final ProcessorSettings settings;
    private final RuleSelectorIndex ruleIndex;
    private final long globalLimit;
    private final long activeWindowMillis;
    private final long refreshMillis;
    private ProcessorContext<String, SeriesBatch> context;
    private KeyValueStore<Bytes, byte[]> active;
    private CardinalityStats stats;
    private ActiveSeriesIndex index;
    private Map<String, Integer> jobIds;
    private List<String> jobNames;

    public SeriesStageProcessor(ProcessorSettings settings, RuleSelectorIndex ruleIndex) {
        this.settings = settings;
        this.ruleIndex = ruleIndex;
        SeriesLimits limits = settings.seriesLimits();
        this.globalLimit = SeriesLimits.perShard(limits.globalLimit(), settings.seriesShards());
        this.activeWindowMillis = limits.activeWindow().toMillis();
        this.refreshMillis = Math.max(1, activeWindowMillis / 10);
    }

    @Override
    public void init(ProcessorContext<String, SeriesBatch> context) {
        this.context = context;
        this.active = context.getStateStore(ACTIVE_SERIES_STORE);
        this.stats = new CardinalityStats(Math.max(100, settings.seriesLimits().topN() * 10));
        this.index = new ActiveSeriesIndex(1024);
        this.jobIds = new HashMap<>();
        this.jobNames = new ArrayList<>();
        // Counts and the index are not stored: rebuild them from the (restored) store.
        try (KeyValueIterator<Bytes, byte[]> iterator = active.all()) {
            while (iterator.hasNext()) {
                var entry = iterator.next();
                ActiveSeries series = ActiveSeries.decode(entry.value);
                stats.added(series.job, series.labels);
                index.put(ByteBuffer.wrap(entry.key.get()).getLong(), series.lastSeenMillis, jobId(series.job),
                        ActiveSeriesIndex.GROUPS_UNKNOWN);
            }
        }
        CardinalityCollector.register(stats, settings.seriesLimits().topN());
        long every = Math.max(1000, Math.min(activeWindowMillis / 4, 60_000));
        context.schedule(Duration.ofMillis(every), PunctuationType.WALL_CLOCK_TIME, this::expire);
    }

    @Override
    public void close() {
        if (stats != null) {
            CardinalityCollector.unregister(stats);
        }
    }

    @Override
    public void process(Record<String, SeriesBatch> record) {
        ProcessorMetrics.RECORDS_IN.labelValues(settings.seriesTopic()).inc();
        if (record.value() == null) {
            ProcessorMetrics.RECORDS_DROPPED.labelValues("null_value").inc();
            return;
        }
        String job = jobOf(record);
        long now = context.currentSystemTimeMs();
        List<Series> input = record.value().getSeries();
        List<Series> accepted = new ArrayList<>(input.size());
        List<Series>[] perGroup = null;
        int groupCount = ruleIndex.groups().size();
        boolean[] selected = groupCount == 0 ? null : new boolean[groupCount];
        long samples = 0;
        for (Series series : input) {
            List<String> labelList = series.getLabels();
            long hash = SeriesHash.of(labelList);
            long groups;
            if (index.find(hash)) {
                if (now - index.lastSeen() >= refreshMillis) {
                    index.touch(now);
                    active.put(key(hash), new ActiveSeries(now, jobNames.get(index.job()), Labels.fromList(labelList)).encode());
                }
                groups = index.groups();
            } else {
                Labels labels = Labels.fromList(labelList);
                String seriesJob = job.isEmpty() ? labels.getOrEmpty("job") : job;
                boolean stale = allStale(series);
                if (!admitNew(hash, labels, seriesJob, stale, now)) {
                    if (!stale) {
                        // A refused stale marker is not counted: it would end a series that was never stored.
                        ProcessorMetrics.SAMPLES_DROPPED.labelValues("series_limit", seriesJob).inc(series.getValues().size());
                    }
                    continue;
                }
                groups = ActiveSeriesIndex.GROUPS_UNKNOWN;
            }
            accepted.add(series);
            samples += series.getValues().size();
            if (selected == null) {
                continue;
            }
            if (groups == ActiveSeriesIndex.GROUPS_UNKNOWN) {
                groups = selectGroups(Labels.fromList(labelList), selected);
                if (groupCount <= MAX_MASKED_GROUPS && index.find(hash)) {
                    index.setGroups(groups);
                }
            } else {
                for (int g = 0; g < groupCount; g++) {
                    selected[g] = (groups & (1L << g)) != 0;
                }
            }
            if (groups != 0) {
                if (perGroup == null) {
                    perGroup = newGroupLists(groupCount);
                }
                for (int g = 0; g < groupCount; g++) {
                    if (selected[g]) {
                        perGroup[g].add(series);
                    }
                }
            }
        }
        int maxSeries = settings.maxSeriesPerRecord();
        if (!accepted.isEmpty() && accepted.size() == input.size() && input.size() <= maxSeries) {
            // Every series passed: forward the input batch itself, which PassThroughSeriesSerde writes without re-encoding.
            context.forward(record, SAMPLES_SINK);
            ProcessorMetrics.RECORDS_OUT.labelValues(settings.samplesTopic()).inc();
        } else {
            ShardedBatches.split(accepted, maxSeries, batch -> {
                context.forward(record.withValue(batch), SAMPLES_SINK);
                ProcessorMetrics.RECORDS_OUT.labelValues(settings.samplesTopic()).inc();
            });
        }
        ProcessorMetrics.SAMPLES_OUT.labelValues("series").inc(samples);
        if (perGroup != null) {
            for (int g = 0; g < perGroup.length; g++) {
                String group = ruleIndex.groups().get(g).name();
                ShardedBatches.split(perGroup[g], maxSeries, batch -> {
                    context.forward(new Record<>(group, batch, record.timestamp()), RULE_INPUT_SINK);
                    ProcessorMetrics.RECORDS_OUT.labelValues(settings.ruleInputTopic()).inc();
                });
            }
        }
    }

    /** Fills {@code selected}; returns the selection as a bit mask, or all bits set when any group beyond 63 is selected. */
    private long selectGroups(Labels labels, boolean[] selected) {
        if (!ruleIndex.match(labels, selected)) {
            return 0;
        }
        long mask = 0;
        for (int g = 0; g < selected.length; g++) {
            if (selected[g]) {
                mask |= g < MAX_MASKED_GROUPS ? 1L << g : ActiveSeriesIndex.GROUPS_UNKNOWN;
            }
        }
        return mask;
    }

    /** Whether a series not yet active may be written; registers it when so. */
    private boolean admitNew(long hash, Labels labels, String job, boolean stale, long now) {
        boolean underLimit = (globalLimit == 0 || stats.total() < globalLimit) && underJobLimit(job);
        if (stale) {
            // A stale marker of a series we no longer track ends nothing worth a slot; pass it only when there is room.
            return underLimit;
        }
        if (!underLimit) {
            return false;
        }
        active.put(key(hash), new ActiveSeries(now, job, labels).encode());
        index.put(hash, now, jobId(job), ActiveSeriesIndex.GROUPS_UNKNOWN);
        stats.added(job, labels);
        return true;
    }

    private int jobId(String job) {
        Integer id = jobIds.get(job);
        if (id == null) {
            id = jobNames.size();
            jobNames.add(job);
            jobIds.put(job, id);
        }
        return id;
    }

    private boolean underJobLimit(String job) {
        long jobLimit = SeriesLimits.perShard(settings.seriesLimits().jobLimit(job), settings.seriesShards());
        return jobLimit == 0 || stats.job(job) < jobLimit;
    }

    private void expire(long now) {
        List<Bytes> expired = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> iterator = active.all()) {
            while (iterator.hasNext()) {
                var entry = iterator.next();
                ActiveSeries series = ActiveSeries.decode(entry.value);
                if (now - series.lastSeenMillis > activeWindowMillis) {
                    expired.add(entry.key);
                    stats.removed(series.job, series.labels);
                }
            }
        }
        for (Bytes key : expired) {
            active.delete(key);
            index.remove(ByteBuffer.wrap(key.get()).getLong());
        }
    }

    private static boolean allStale(Series series) {
        for (double value : series.getValues()) {
            if (Double.doubleToRawLongBits(value) != TargetStageProcessor.STALE_NAN_BITS) {
                return false;
            }
        }
        return true;
    }

    private static String jobOf(Record<String, SeriesBatch> record) {
        Header header = record.headers().lastHeader(TargetStageProcessor.JOB_HEADER);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static List<Series>[] newGroupLists(int count) {
        List<Series>[] lists = new List[count];
        for (int i = 0; i < count; i++) {
            lists[i] = new ArrayList<>();
        }
        return lists;
    }

    private static Bytes key(long hash) {
        return Bytes.wrap(ByteBuffer.allocate(8).putLong(hash).array());
    }

    /** Value of the active-series store: last seen wall-clock ms, job, labels. */
    record ActiveSeries(long lastSeenMillis, String job, Labels labels) {
        byte[] encode() {
            BinaryWriter writer = new BinaryWriter(32 + 16 * labels.size());
            writer.writeLong(lastSeenMillis).writeString(job);
            LabelsCodec.write(writer, labels);
            return writer.toByteArray();
        }

        static ActiveSeries decode(byte[] bytes) {
            BinaryReader reader = new BinaryReader(bytes);
            return new ActiveSeries(reader.readLong(), reader.readString(), LabelsCodec.read(reader));
        }
    }
}
