package io.kprom.processor.config;

import io.kprom.common.kafka.Topics;
import io.kprom.processor.rules.RecordingGroup;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the topology needs besides Kafka connection settings. Immutable; build with
 * {@link #builder()}.
 *
 * @param jobs scrape-job policies by {@code job_name}; unknown jobs get {@link JobPolicy#defaults}
 * @param seriesShards partition count of {@code metrics.samples} (and of the internal series topic)
 * @param ruleInputPartitions partition count of the internal rule-input topic
 * @param seriesLimits active-series limits
 * @param targetExpiryIntervals a target that sent nothing for this many scrape intervals is expired (stale markers)
 * @param targetExpiryCheck how often the per-target stage looks for expired targets
 * @param ruleGroups recording rule groups
 * @param ruleTick how often the rule stage checks for due group evaluations
 * @param lookbackDeltaMillis PromQL lookback delta for rule evaluation and rule windows
 * @param rawTopic input topic
 * @param samplesTopic output topic
 * @param metadataTopic compacted metadata output topic
 * @param seriesTopic internal topic between the per-target and the series stage
 * @param ruleInputTopic internal topic carrying rule-selected series to the rule stage
 * @param maxSeriesPerRecord most series in one output {@code SeriesBatch} record (larger batches are split), so
 *     no record approaches Kafka's {@code max.message.bytes}
 * @param relabelCacheEntries most scraped label sets whose relabeling result the per-target stage remembers
 *     (per stream task; 0 disables the cache); bounds the cache's memory when a target explodes in cardinality
 */
public record ProcessorSettings(Map<String, JobPolicy> jobs, int seriesShards, int ruleInputPartitions,
        SeriesLimits seriesLimits, int targetExpiryIntervals, Duration targetExpiryCheck, List<RecordingGroup> ruleGroups,
        Duration ruleTick, long lookbackDeltaMillis, String rawTopic, String samplesTopic, String metadataTopic,
        String seriesTopic, String ruleInputTopic, int maxSeriesPerRecord, int relabelCacheEntries) {
    /**
     * kprom's {@code query_offset} for groups that set none while the global {@code rule_query_offset}
     * is 0 (Prometheus's default): a sample stamped at t reaches the rule stage only after the scrape
     * finished (up to {@code scrape_timeout}, 10s by default) and three exactly-once hops committed
     * (about a second), so querying 15s behind sees complete data.
     */
    public static final Duration DEFAULT_RULE_QUERY_OFFSET = Duration.ofSeconds(15);
    /** 10 000 series of ~10 labels are ~1 MB of Avro, Kafka's default {@code max.message.bytes}-sized record. */
    public static final int DEFAULT_MAX_SERIES_PER_RECORD = 10_000;
    /** About 1 KB per entry (raw and relabeled label sets), so the default costs at most ~250 MB per task. */
    public static final int DEFAULT_RELABEL_CACHE_ENTRIES = 250_000;

    public ProcessorSettings {
        jobs = Map.copyOf(jobs);
        ruleGroups = List.copyOf(ruleGroups);
        Objects.requireNonNull(seriesLimits);
        if (seriesShards < 1 || ruleInputPartitions < 1 || targetExpiryIntervals < 1) {
            throw new IllegalArgumentException("shard/partition counts and expiry intervals must be >= 1");
        }
        if (maxSeriesPerRecord < 1 || relabelCacheEntries < 0) {
            throw new IllegalArgumentException("maxSeriesPerRecord must be >= 1 and relabelCacheEntries >= 0");
        }
    }

    public JobPolicy policy(String job) {
        JobPolicy policy = jobs.get(job);
        return policy == null ? JobPolicy.defaults(job) : policy;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.jobs.putAll(jobs);
        builder.seriesShards = seriesShards;
        builder.ruleInputPartitions = ruleInputPartitions;
        builder.seriesLimits = seriesLimits;
        builder.targetExpiryIntervals = targetExpiryIntervals;
        builder.targetExpiryCheck = targetExpiryCheck;
        builder.ruleGroups = ruleGroups;
        builder.ruleTick = ruleTick;
        builder.lookbackDeltaMillis = lookbackDeltaMillis;
        builder.rawTopic = rawTopic;
        builder.samplesTopic = samplesTopic;
        builder.metadataTopic = metadataTopic;
        builder.seriesTopic = seriesTopic;
        builder.ruleInputTopic = ruleInputTopic;
        builder.maxSeriesPerRecord = maxSeriesPerRecord;
        builder.relabelCacheEntries = relabelCacheEntries;
        return builder;
    }

    /** Builder with kprom's defaults; not thread-safe. */
    public static final class Builder {
        private final Map<String, JobPolicy> jobs = new HashMap<>();
        private int seriesShards = 1;
        private int ruleInputPartitions = 1;
        private SeriesLimits seriesLimits = SeriesLimits.none();
        private int targetExpiryIntervals = 4;
        private Duration targetExpiryCheck = Duration.ofSeconds(15);
        private List<RecordingGroup> ruleGroups = List.of();
        private Duration ruleTick = Duration.ofSeconds(1);
        private long lookbackDeltaMillis = 300_000;
        private String rawTopic = Topics.METRICS_RAW;
        private String samplesTopic = Topics.METRICS_SAMPLES;
        private String metadataTopic = Topics.METRICS_METADATA;
        private String seriesTopic = "kprom-processor.series";
        private String ruleInputTopic = "kprom-processor.rule-input";
        private int maxSeriesPerRecord = DEFAULT_MAX_SERIES_PER_RECORD;
        private int relabelCacheEntries = DEFAULT_RELABEL_CACHE_ENTRIES;

        public Builder maxSeriesPerRecord(int value) {
            maxSeriesPerRecord = value;
            return this;
        }

        public Builder relabelCacheEntries(int value) {
            relabelCacheEntries = value;
            return this;
        }

        public Builder job(JobPolicy policy) {
            jobs.put(policy.jobName(), policy);
            return this;
        }

        public Builder seriesShards(int value) {
            seriesShards = value;
            return this;
        }

        public Builder ruleInputPartitions(int value) {
            ruleInputPartitions = value;
            return this;
        }

        public Builder seriesLimits(SeriesLimits value) {
            seriesLimits = value;
            return this;
        }

        public Builder targetExpiry(int intervals, Duration checkEvery) {
            targetExpiryIntervals = intervals;
            targetExpiryCheck = checkEvery;
            return this;
        }

        public Builder ruleGroups(List<RecordingGroup> value) {
            ruleGroups = value;
            return this;
        }

        public Builder ruleTick(Duration value) {
            ruleTick = value;
            return this;
        }

        public Builder lookbackDeltaMillis(long value) {
            lookbackDeltaMillis = value;
            return this;
        }

        /** Topic names; the two internal ones usually derive from the application id. */
        public Builder topics(String raw, String samples, String metadata, String series, String ruleInput) {
            rawTopic = raw;
            samplesTopic = samples;
            metadataTopic = metadata;
            seriesTopic = series;
            ruleInputTopic = ruleInput;
            return this;
        }

        public ProcessorSettings build() {
            return new ProcessorSettings(jobs, seriesShards, ruleInputPartitions, seriesLimits, targetExpiryIntervals,
                    targetExpiryCheck, ruleGroups, ruleTick, lookbackDeltaMillis, rawTopic, samplesTopic, metadataTopic,
                    seriesTopic, ruleInputTopic, maxSeriesPerRecord, relabelCacheEntries);
        }
    }
}
