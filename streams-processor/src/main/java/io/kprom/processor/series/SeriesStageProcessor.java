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
import java.util.List;
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
 * costs one store read per sample and a changelog write only every few minutes.
 */
public final class SeriesStageProcessor implements Processor<String, SeriesBatch, String, SeriesBatch> {
    public static final String ACTIVE_SERIES_STORE = "active-series";
    public static final String SAMPLES_SINK = "samples-sink";
    public static final String RULE_INPUT_SINK = "rule-input-sink";

    private final ProcessorSettings settings;
    private final RuleSelectorIndex ruleIndex;
    private final long globalLimit;
    private final long activeWindowMillis;
    private final long refreshMillis;
    private ProcessorContext<String, SeriesBatch> context;
    private KeyValueStore<Bytes, byte[]> active;
    private CardinalityStats stats;

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
        // Counts are not stored: rebuild them from the (restored) store.
        try (KeyValueIterator<Bytes, byte[]> iterator = active.all()) {
            while (iterator.hasNext()) {
                ActiveSeries series = ActiveSeries.decode(iterator.next().value);
                stats.added(series.job, series.labels);
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
        boolean[] selected = ruleIndex.isEmpty() ? null : new boolean[ruleIndex.groups().size()];
        long samples = 0;
        for (Series series : input) {
            Labels labels = Labels.fromList(series.getLabels());
            String seriesJob = job.isEmpty() ? labels.getOrEmpty("job") : job;
            if (!admit(labels, seriesJob, series, now)) {
                ProcessorMetrics.SAMPLES_DROPPED.labelValues("series_limit", seriesJob).inc(series.getValues().size());
                continue;
            }
            accepted.add(series);
            samples += series.getValues().size();
            if (selected != null && ruleIndex.match(labels, selected)) {
                if (perGroup == null) {
                    perGroup = newGroupLists(selected.length);
                }
                for (int g = 0; g < selected.length; g++) {
                    if (selected[g]) {
                        perGroup[g].add(series);
                    }
                }
            }
        }
        if (!accepted.isEmpty()) {
            context.forward(record.withValue(SeriesBatch.newBuilder().setSeries(accepted).build()), SAMPLES_SINK);
            ProcessorMetrics.RECORDS_OUT.labelValues(settings.samplesTopic()).inc();
            ProcessorMetrics.SAMPLES_OUT.labelValues("series").inc(samples);
        }
        if (perGroup != null) {
            for (int g = 0; g < perGroup.length; g++) {
                if (!perGroup[g].isEmpty()) {
                    context.forward(new Record<>(ruleIndex.groups().get(g).name(),
                            SeriesBatch.newBuilder().setSeries(perGroup[g]).build(), record.timestamp()), RULE_INPUT_SINK);
                    ProcessorMetrics.RECORDS_OUT.labelValues(settings.ruleInputTopic()).inc();
                }
            }
        }
    }

    /** Whether the series may be written; registers new series and refreshes known ones. */
    private boolean admit(Labels labels, String job, Series series, long now) {
        Bytes key = key(labels.stableHash());
        byte[] value = active.get(key);
        if (value != null) {
            long lastSeen = ByteBuffer.wrap(value).getLong();
            if (now - lastSeen >= refreshMillis) {
                active.put(key, new ActiveSeries(now, ActiveSeries.decode(value).job, labels).encode());
            }
            return true;
        }
        boolean underLimit = (globalLimit == 0 || stats.total() < globalLimit) && underJobLimit(job);
        if (allStale(series)) {
            // A stale marker of a series we no longer track ends nothing worth a slot; pass it only when there is room.
            return underLimit;
        }
        if (!underLimit) {
            return false;
        }
        active.put(key, new ActiveSeries(now, job, labels).encode());
        stats.added(job, labels);
        return true;
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
        expired.forEach(active::delete);
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
