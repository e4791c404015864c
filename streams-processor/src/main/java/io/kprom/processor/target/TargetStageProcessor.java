package io.kprom.processor.target;

import io.kprom.common.labels.Labels;
import io.kprom.processor.config.JobPolicy;
import io.kprom.processor.config.ProcessorSettings;
import io.kprom.processor.metrics.ProcessorMetrics;
import io.kprom.processor.series.ShardedBatches;
import io.kprom.processor.series.SeriesShards;
import io.kprom.processor.state.BinaryReader;
import io.kprom.processor.state.BinaryWriter;
import io.kprom.processor.state.LabelsCodec;
import io.kprom.processor.state.LongHashSet;
import io.kprom.processor.state.LongList;
import io.kprom.schemas.avro.BatchSource;
import io.kprom.schemas.avro.MetricMetadata;
import io.kprom.schemas.avro.RawSeries;
import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.avro.ScrapeTarget;
import io.kprom.schemas.avro.Series;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-target stage: input {@code metrics.raw} keyed by target, state keyed by target.
 * For each scrape it attaches target labels ({@code honor_labels}), applies the job's
 * {@code metric_relabel_configs} and limits, writes the synthetic series ({@code up}, ...), stale
 * markers for series that vanished, and publishes changed metadata. New series a scrape sends to a
 * shard beyond the active-series limit that shard enforces for the job are dropped here already
 * ({@link SeriesBudget}), so a cardinality bomb costs the stage no more state and output than the limit. Output goes to
 * {@link #SERIES_SINK} as one {@code SeriesBatch} per series shard (key: shard number, header
 * {@link #JOB_HEADER}: the scrape job) and to {@link #METADATA_SINK} (key: metric family).
 *
 * <p>One instance per stream task; not thread-safe (Kafka Streams calls it from one thread).
 */
public final class TargetStageProcessor implements Processor<String, ScrapeBatch, String, SpecificRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(TargetStageProcessor.class);
    public static final String TARGET_STATE_STORE = "target-state";
    public static final String TARGET_SERIES_STORE = "target-series";
    public static final String METADATA_STORE = "metadata-seen";
    public static final String SERIES_SINK = "series-sink";
    public static final String METADATA_SINK = "metadata-sink";
    public static final String JOB_HEADER = "kprom-job";

    /** Prometheus's stale marker: a NaN with this exact bit pattern. */
    public static final long STALE_NAN_BITS = 0x7ff0000000000002L;
    public static final double STALE_NAN = Double.longBitsToDouble(STALE_NAN_BITS);

    static final String[] REPORT_NAMES = {"up", "scrape_duration_seconds", "scrape_samples_scraped",
            "scrape_samples_post_metric_relabeling", "scrape_series_added"};
    private static final byte FLAG_TRACKED = 0;
    private static final byte FLAG_EXPLICIT_TIMESTAMPS = 1;

    private final ProcessorSettings settings;
    private final TargetCounts targetCounts;
    private final RelabelCache relabelCache;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, byte[]> states;
    private KeyValueStore<Bytes, byte[]> seriesLabels;
    private KeyValueStore<String, String> metadataSeen;
    /** Wall-clock time this task last processed a scrape (or started): tells "behind" from "no input". */
    private long lastInputWallMillis;
    /** Newest scrape time this task has processed: the clock target silence is measured in while input flows. */
    private long newestScrapeMillis = Long.MIN_VALUE;
    /** Wall-clock time of the previous expiry check. */
    private long lastExpiryCheckWallMillis;
    private final BooleanSupplier brokerReachable;
    /** Wall-clock time of the last expiry check that found the broker unreachable (or start). */
    private long lastUnreachableWallMillis;

    public TargetStageProcessor(ProcessorSettings settings, TargetCounts targetCounts) {
        this(settings, targetCounts, () -> true);
    }

    /** @param brokerReachable whether the Kafka cluster answers now (wall-clock expiry waits for a reachable period) */
    public TargetStageProcessor(ProcessorSettings settings, TargetCounts targetCounts, BooleanSupplier brokerReachable) {
        this.settings = settings;
        this.targetCounts = targetCounts;
        this.brokerReachable = brokerReachable;
        this.relabelCache = new RelabelCache(settings.relabelCacheEntries());
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.states = context.getStateStore(TARGET_STATE_STORE);
        this.seriesLabels = context.getStateStore(TARGET_SERIES_STORE);
        this.metadataSeen = context.getStateStore(METADATA_STORE);
        this.lastInputWallMillis = context.currentSystemTimeMs();
        this.lastExpiryCheckWallMillis = lastInputWallMillis;
        this.lastUnreachableWallMillis = lastInputWallMillis;
        context.schedule(settings.targetExpiryCheck(), PunctuationType.WALL_CLOCK_TIME, this::expireTargets);
    }

    @Override
    public void process(Record<String, ScrapeBatch> record) {
        ScrapeBatch batch = record.value();
        ProcessorMetrics.RECORDS_IN.labelValues(settings.rawTopic()).inc();
        if (batch == null) {
            ProcessorMetrics.RECORDS_DROPPED.labelValues("null_value").inc();
            return;
        }
        ProcessorMetrics.SAMPLES_IN.inc(sampleCount(batch));
        publishMetadata(batch.getMetadata());
        if (batch.getSource() == BatchSource.REMOTE_WRITE) {
            passThrough(batch);
            return;
        }
        ScrapeTarget target = batch.getTarget();
        if (target == null || record.key() == null) {
            ProcessorMetrics.RECORDS_DROPPED.labelValues("missing_target").inc();
            ProcessorMetrics.SAMPLES_DROPPED.labelValues("missing_target", "").inc(sampleCount(batch));
            return;
        }
        if (batch.getSource() == BatchSource.TARGET_REMOVED) {
            TargetState state = decodeState(record.key());
            if (state != null) {
                endTarget(record.key(), state, batch.getScrapeTimestampMillis(), "target_removed");
            }
            return;
        }
        processScrape(record.key(), target, batch);
    }

    private void processScrape(String targetKey, ScrapeTarget target, ScrapeBatch batch) {
        String job = target.getJob();
        JobPolicy policy = settings.policy(job);
        Labels targetLabels = targetLabels(target);
        long scrapeTime = batch.getScrapeTimestampMillis();
        lastInputWallMillis = context.currentSystemTimeMs();
        newestScrapeMillis = Math.max(newestScrapeMillis, scrapeTime);
        long interval = target.getScrapeIntervalMillis() > 0 ? target.getScrapeIntervalMillis() : policy.scrapeIntervalMillis();
        TargetState previous = decodeState(targetKey);
        long[] previousHashes = previous == null ? new long[0] : previous.seriesHashes();
        ShardedBatches out = new ShardedBatches(settings.seriesShards(), settings.maxSeriesPerRecord());

        long total = 0;
        long postRelabel = 0;
        ScrapeFailure failure = null;
        if (targetCounts != null && policy.targetLimit() > 0) {
            long targets = targetCounts.activeTargets(job, targetKey, context.currentSystemTimeMs());
            if (targets > policy.targetLimit()) {
                failure = ScrapeFailure.targetLimit(targets, policy.targetLimit());
            }
        }
        List<Series> accepted = new ArrayList<>();
        LongList acceptedHashes = new LongList(Math.min(batch.getSeries().size(), 1 << 16));
        List<Labels> acceptedLabels = new ArrayList<>();
        // Checked before a series is built, so a cardinality bomb costs no more memory than the limit admits.
        SeriesBudget budget = SeriesBudget.forJob(settings.seriesLimits(), job, settings.seriesShards());
        long overLimit = 0;
        long overState = 0;
        LongHashSet current = new LongHashSet(batch.getSeries().size());
        LongHashSet explicit = new LongHashSet(4);
        if (batch.getOutcome().getOk()) {
            RelabelCache.Scrape memo = relabelCache.begin(targetKey, targetLabels, policy);
            for (RawSeries raw : batch.getSeries()) {
                int samples = raw.getValues().size();
                total += samples;
                if (failure != null) {
                    continue;
                }
                List<String> rawLabels = raw.getLabels();
                RelabelCache.Result result = memo.get(rawLabels);
                if (result == null) {
                    Labels merged = TargetLabelMerger.merge(Labels.fromList(rawLabels), targetLabels, policy.honorLabels());
                    Labels relabeled = policy.relabeling().apply(merged);
                    if (relabeled == null || relabeled.isEmpty()) {
                        memo.put(rawLabels, RelabelCache.DROPPED);
                        result = RelabelCache.DROPPED;
                    } else {
                        if (relabeled.metricName() == null) {
                            failure = ScrapeFailure.missingName(relabeled.toString());
                            continue;
                        }
                        failure = LabelLimitCheck.check(relabeled, policy);
                        if (failure != null) {
                            continue;
                        }
                        result = new RelabelCache.Result(relabeled, relabeled.stableHash(), relabeled.toList());
                        memo.put(rawLabels, result);
                    }
                }
                if (result == RelabelCache.DROPPED) {
                    ProcessorMetrics.SAMPLES_DROPPED.labelValues("metric_relabel", job).inc(samples);
                    continue;
                }
                long hash = result.hash();
                if (!current.add(hash)) {
                    ProcessorMetrics.SAMPLES_DROPPED.labelValues("duplicate_series", job).inc(samples);
                    continue;
                }
                postRelabel += samples;
                if (policy.sampleLimit() > 0 && postRelabel > policy.sampleLimit()) {
                    failure = ScrapeFailure.sampleLimit(postRelabel, policy.sampleLimit());
                    continue;
                }
                boolean explicitTimestamps = raw.getExplicitTimestamps() && policy.honorTimestamps();
                String dropReason = budget.take(hash, Arrays.binarySearch(previousHashes, hash) >= 0);
                if (dropReason != null) {
                    // Neither tracked nor forwarded: the series stage would drop it too, or the state is full.
                    long forwarded = explicitTimestamps ? samples : 1;
                    if (dropReason.equals("series_limit")) {
                        overLimit += forwarded;
                    } else {
                        overState += forwarded;
                    }
                    continue;
                }
                if (explicitTimestamps) {
                    explicit.add(hash);
                }
                accepted.add(toSeries(result.labelList(), raw, explicitTimestamps, scrapeTime));
                acceptedHashes.add(hash);
                acceptedLabels.add(result.labels());
            }
            memo.end();
        }
        if (failure != null) {
            // Keep counting what the target exposed, as Prometheus reports it for a failed append.
            ProcessorMetrics.SCRAPES_FAILED.labelValues(failure.reason(), job).inc();
            ProcessorMetrics.SAMPLES_DROPPED.labelValues(failure.reason(), job).inc(postRelabel);
        }
        boolean up = batch.getOutcome().getOk() && failure == null;
        long seriesAdded = 0;
        long[] nextHashes;
        if (up) {
            for (int i = 0; i < accepted.size(); i++) {
                long hash = acceptedHashes.get(i);
                out.add(hash, accepted.get(i));
                if (Arrays.binarySearch(previousHashes, hash) < 0) {
                    seriesAdded++;
                    byte flag = explicit.contains(hash) ? FLAG_EXPLICIT_TIMESTAMPS : FLAG_TRACKED;
                    seriesLabels.put(seriesKey(targetKey, hash), encodeSeries(flag, acceptedLabels.get(i)));
                }
            }
            if (overLimit > 0) {
                ProcessorMetrics.SAMPLES_DROPPED.labelValues("series_limit", job).inc(overLimit);
            }
            if (overState > 0) {
                ProcessorMetrics.SAMPLES_DROPPED.labelValues("target_state_limit", job).inc(overState);
            }
            nextHashes = acceptedHashes.toSortedArray();
            markVanished(targetKey, previousHashes, nextHashes, scrapeTime, out, "vanished");
        } else {
            nextHashes = new long[0];
            markVanished(targetKey, previousHashes, nextHashes, scrapeTime, out, "scrape_failed");
        }
        Labels reportTarget = targetLabels;
        double[] report = {up ? 1 : 0, batch.getOutcome().getDurationSeconds(), total, up || failure != null ? postRelabel : 0,
                seriesAdded};
        for (int i = 0; i < REPORT_NAMES.length; i++) {
            out.add(TargetLabelMerger.report(REPORT_NAMES[i], reportTarget), scrapeTime, report[i]);
        }
        states.put(targetKey, new TargetState(job, targetLabels, interval, scrapeTime, context.currentSystemTimeMs(),
                nextHashes).encode());
        if (targetCounts != null) {
            targetCounts.seen(job, targetKey, context.currentSystemTimeMs(), interval * settings.targetExpiryIntervals());
        }
        emit(out, job, scrapeTime);
    }

    private static Series toSeries(List<String> labelList, RawSeries raw, boolean explicitTimestamps, long scrapeTime) {
        List<Double> values = raw.getValues();
        List<Long> timestamps;
        if (explicitTimestamps) {
            timestamps = raw.getTimestamps();
        } else if (values.size() == 1) {
            timestamps = List.of(scrapeTime);
        } else {
            // Without honored timestamps every sample would land on the scrape time: keep the last one.
            values = List.of(values.get(values.size() - 1));
            timestamps = List.of(scrapeTime);
        }
        // The all-fields constructor: the builder's per-field validation costs more than the copy it guards.
        return new Series(labelList, timestamps, values, raw.getExemplars(), raw.getHistograms());
    }

    /** Stale markers for tracked series in {@code previous} but not in {@code next}; drops their labels. */
    private void markVanished(String targetKey, long[] previous, long[] next, long timestamp, ShardedBatches out,
            String cause) {
        int j = 0;
        for (long hash : previous) {
            while (j < next.length && next[j] < hash) {
                j++;
            }
            if (j < next.length && next[j] == hash) {
                continue;
            }
            Bytes key = seriesKey(targetKey, hash);
            byte[] encoded = seriesLabels.get(key);
            if (encoded == null) {
                continue;
            }
            seriesLabels.delete(key);
            BinaryReader reader = new BinaryReader(encoded);
            if (reader.readByte() == FLAG_EXPLICIT_TIMESTAMPS) {
                // Prometheus does not stale-mark series that carry their own timestamps.
                continue;
            }
            out.add(hash, ShardedBatches.series(LabelsCodec.read(reader), List.of(timestamp), List.of(STALE_NAN)));
            ProcessorMetrics.STALE_MARKERS.labelValues(cause).inc();
        }
    }

    /** Stale markers for every series and report series of a removed or expired target; forgets it. */
    private void endTarget(String targetKey, TargetState state, long timestamp, String cause) {
        ShardedBatches out = new ShardedBatches(settings.seriesShards(), settings.maxSeriesPerRecord());
        markVanished(targetKey, state.seriesHashes(), new long[0], timestamp, out, cause);
        for (String name : REPORT_NAMES) {
            out.add(TargetLabelMerger.report(name, state.targetLabels()), timestamp, STALE_NAN);
            ProcessorMetrics.STALE_MARKERS.labelValues(cause).inc();
        }
        states.delete(targetKey);
        relabelCache.forget(targetKey);
        if (targetCounts != null) {
            targetCounts.removed(state.job(), targetKey);
        }
        emit(out, state.job(), timestamp);
    }

    /**
     * A target is expired when it has been silent for {@code targetExpiryIntervals} scrape intervals. Silence is
     * measured in scrape time (the newest scrape this task has read) while the task has input, and by the wall
     * clock only once the task itself has read nothing for as long, nothing since the previous check (a stream
     * thread blocked for a while, e.g. on a slow commit, has not read its input yet), and the broker has answered
     * for as long (during an outage the scrapers buffer, and their scrapes arrive after the outage): a task that is
     * behind its input would otherwise see every target as silent, stale-mark them, reject their late scrapes as
     * older than the markers, or re-add all their series, and fall further behind.
     */
    private void expireTargets(long nowMillis) {
        boolean inputSincePreviousCheck = lastInputWallMillis >= lastExpiryCheckWallMillis;
        lastExpiryCheckWallMillis = nowMillis;
        if (!brokerReachable.getAsBoolean()) {
            lastUnreachableWallMillis = nowMillis;
        }
        List<String> expired = new ArrayList<>();
        int silentInScrapeTimeCount = 0;
        try (KeyValueIterator<String, byte[]> iterator = states.all()) {
            while (iterator.hasNext()) {
                var entry = iterator.next();
                TargetState state = TargetState.decode(entry.value);
                long limit = state.scrapeIntervalMillis() * settings.targetExpiryIntervals();
                boolean silentInScrapeTime = newestScrapeMillis != Long.MIN_VALUE
                        && newestScrapeMillis - state.lastScrapeMillis() > limit;
                // The task's own idleness must also outlast a few checks: Streams may need a while to resume after
                // an outage or a rebalance before the first record arrives.
                long idleLimit = Math.max(limit, 4 * settings.targetExpiryCheck().toMillis());
                boolean silentOnWallClock = !inputSincePreviousCheck && nowMillis - lastInputWallMillis > idleLimit
                        && nowMillis - lastUnreachableWallMillis > idleLimit
                        && nowMillis - state.lastSeenWallMillis() > limit;
                if (silentInScrapeTime || silentOnWallClock) {
                    expired.add(entry.key);
                    silentInScrapeTimeCount += silentInScrapeTime ? 1 : 0;
                }
            }
        }
        if (!expired.isEmpty()) {
            LOG.info("expiring {} silent targets ({} silent in scrape time, the others on the wall clock with no input)",
                    expired.size(), silentInScrapeTimeCount);
        }
        for (String key : expired) {
            TargetState state = TargetState.decode(states.get(key));
            ProcessorMetrics.TARGETS_EXPIRED.inc();
            // Stamp the markers where the first missed scrape would have been, as Prometheus's end-of-run staleness.
            endTarget(key, state, state.lastScrapeMillis() + state.scrapeIntervalMillis(), "target_expired");
        }
    }

    private void passThrough(ScrapeBatch batch) {
        ShardedBatches out = new ShardedBatches(settings.seriesShards(), settings.maxSeriesPerRecord());
        for (RawSeries raw : batch.getSeries()) {
            Labels labels = Labels.fromList(raw.getLabels());
            if (labels.metricName() == null || raw.getTimestamps().size() != raw.getValues().size()) {
                ProcessorMetrics.SAMPLES_DROPPED.labelValues("invalid_series", "").inc(raw.getValues().size());
                continue;
            }
            out.add(labels.stableHash(), Series.newBuilder().setLabels(labels.toList()).setTimestamps(raw.getTimestamps())
                    .setValues(raw.getValues()).setExemplars(raw.getExemplars()).setHistograms(raw.getHistograms()).build());
        }
        emit(out, "", batch.getScrapeTimestampMillis());
    }

    private void publishMetadata(List<MetricMetadata> metadata) {
        for (MetricMetadata entry : metadata) {
            String fingerprint = entry.getType() + "\u0000" + entry.getHelp() + "\u0000" + entry.getUnit();
            if (fingerprint.equals(metadataSeen.get(entry.getMetricFamily()))) {
                continue;
            }
            metadataSeen.put(entry.getMetricFamily(), fingerprint);
            context.forward(new Record<String, SpecificRecord>(entry.getMetricFamily(), entry,
                    context.currentSystemTimeMs()), METADATA_SINK);
            ProcessorMetrics.METADATA_OUT.inc();
            ProcessorMetrics.RECORDS_OUT.labelValues(settings.metadataTopic()).inc();
        }
    }

    private void emit(ShardedBatches out, String job, long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(JOB_HEADER, job.getBytes(StandardCharsets.UTF_8));
        out.forEach((shard, seriesBatch) -> context.forward(
                new Record<String, SpecificRecord>(SeriesShards.key(shard), seriesBatch, timestamp, headers), SERIES_SINK));
    }

    private TargetState decodeState(String targetKey) {
        byte[] bytes = states.get(targetKey);
        return bytes == null ? null : TargetState.decode(bytes);
    }

    static Labels targetLabels(ScrapeTarget target) {
        Labels labels = Labels.fromList(target.getLabels());
        if (!labels.has("job") || !labels.has("instance")) {
            Labels.Builder builder = labels.toBuilder();
            if (!labels.has("job")) {
                builder.set("job", target.getJob());
            }
            if (!labels.has("instance")) {
                builder.set("instance", target.getInstance());
            }
            labels = builder.build();
        }
        return labels;
    }

    private static Bytes seriesKey(String targetKey, long hash) {
        byte[] target = targetKey.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(target.length + 9).put(target).put((byte) 0).putLong(hash).array());
    }

    private static byte[] encodeSeries(byte flag, Labels labels) {
        BinaryWriter writer = new BinaryWriter(16 * labels.size() + 8);
        writer.writeByte(flag);
        LabelsCodec.write(writer, labels);
        return writer.toByteArray();
    }

    private static long sampleCount(ScrapeBatch batch) {
        long count = 0;
        for (RawSeries series : batch.getSeries()) {
            count += series.getValues().size();
        }
        return count;
    }
}
