package io.kprom.processor;

import io.kprom.processor.config.SeriesLimits;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a processor instance connects and where it keeps state.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param applicationId Kafka Streams {@code application.id}; instances with the same id share the work
 * @param stateDir Kafka Streams {@code state.dir} (RocksDB stores)
 * @param standbyReplicas {@code num.standby.replicas}
 * @param samplesPartitions partitions of {@code metrics.samples} when the processor creates it
 * @param rawPartitions partitions of {@code metrics.raw} when the processor creates it
 * @param ruleInputPartitions partitions of the internal rule-input topic
 * @param replicationFactor replication factor of topics the processor creates
 * @param extra any further Kafka Streams / client properties (override the defaults)
 * @param seriesLimits active-series limits
 * @param targetExpiryIntervals missed scrape intervals after which a silent target is expired
 * @param readinessGrace how long a rebalance may last before {@code ready()} turns false
 */
public record ProcessorOptions(String bootstrapServers, String applicationId, String stateDir, int standbyReplicas,
        int samplesPartitions, int rawPartitions, int ruleInputPartitions, short replicationFactor, Map<String, Object> extra,
        SeriesLimits seriesLimits, int targetExpiryIntervals, Duration readinessGrace) {
    /** Default {@link #readinessGrace}: a fail-over rebalance with state restore fits comfortably. */
    public static final Duration DEFAULT_READINESS_GRACE = Duration.ofSeconds(60);

    public ProcessorOptions {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(seriesLimits, "seriesLimits");
        Objects.requireNonNull(readinessGrace, "readinessGrace");
        if (standbyReplicas < 0) {
            throw new IllegalArgumentException("standbyReplicas must be >= 0, got " + standbyReplicas);
        }
        extra = Map.copyOf(extra);
    }

    public static ProcessorOptions of(String bootstrapServers, String applicationId, String stateDir) {
        return new ProcessorOptions(bootstrapServers, applicationId, stateDir, 0, 6, 6, 2, (short) 1, Map.of(),
                SeriesLimits.none(), 4,
                DEFAULT_READINESS_GRACE);
    }

    public ProcessorOptions withSeriesLimits(SeriesLimits value) {
        return new ProcessorOptions(bootstrapServers, applicationId, stateDir, standbyReplicas, samplesPartitions,
                rawPartitions, ruleInputPartitions, replicationFactor, extra, value, targetExpiryIntervals, readinessGrace);
    }

    public ProcessorOptions withTargetExpiryIntervals(int value) {
        return new ProcessorOptions(bootstrapServers, applicationId, stateDir, standbyReplicas, samplesPartitions,
                rawPartitions, ruleInputPartitions, replicationFactor, extra, seriesLimits, value, readinessGrace);
    }

    public ProcessorOptions withStandbyReplicas(int value) {
        return new ProcessorOptions(bootstrapServers, applicationId, stateDir, value, samplesPartitions, rawPartitions,
                ruleInputPartitions, replicationFactor, extra, seriesLimits, targetExpiryIntervals, readinessGrace);
    }

    public ProcessorOptions withPartitions(int raw, int samples, int ruleInput) {
        return new ProcessorOptions(bootstrapServers, applicationId, stateDir, standbyReplicas, samples, raw, ruleInput,
                replicationFactor, extra, seriesLimits, targetExpiryIntervals, readinessGrace);
    }

    public ProcessorOptions withExtra(Map<String, Object> value) {
        return new ProcessorOptions(bootstrapServers, applicationId, stateDir, standbyReplicas, samplesPartitions,
                rawPartitions, ruleInputPartitions, replicationFactor, value, seriesLimits, targetExpiryIntervals, readinessGrace);
    }

    public ProcessorOptions withReadinessGrace(Duration value) {
        return new ProcessorOptions(bootstrapServers, applicationId, stateDir, standbyReplicas, samplesPartitions,
                rawPartitions, ruleInputPartitions, replicationFactor, extra, seriesLimits, targetExpiryIntervals, value);
    }
}
