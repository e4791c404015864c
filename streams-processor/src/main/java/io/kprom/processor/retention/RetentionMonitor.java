package io.kprom.processor.retention;

import io.kprom.processor.metrics.ProcessorMetrics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts input records that Kafka's retention deleted before the streams application read them.
 * Kafka Streams silently resets such a partition to its log start; this monitor compares the
 * application's committed offsets ({@code listConsumerGroupOffsets(application.id)}) with the log
 * start offsets of its input topics and, for every committed offset below the log start, adds the
 * gap to {@code kprom_processor_records_dropped_total{reason="retention"}} and
 * {@code kprom_processor_retention_dropped_records_total{topic}} and logs a WARN naming the
 * partition and offset range (once per gap, see {@link RetentionGapTracker}).
 *
 * <p>{@link #check(Predicate)} runs once before Streams starts (all partitions: the committed offsets
 * are still the ones from before the outage) and then every {@code interval} for the partitions this
 * instance owns ({@link #startPeriodic}). Lifecycle: create, check/start, {@link #close()} once; the
 * monitor owns its {@link Admin} client. Thread-safe.
 */
public final class RetentionMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionMonitor.class);
    private static final long TIMEOUT_SECONDS = 10;

    private final Admin admin;
    private final String groupId;
    private final List<String> topics;
    private final RetentionGapTracker tracker = new RetentionGapTracker();
    private volatile ScheduledExecutorService scheduler;

    /**
     * @param admin client used for the checks; closed by {@link #close()}
     * @param groupId the consumer group whose committed offsets are checked (the Streams {@code application.id})
     * @param topics the group's input topics
     */
    public RetentionMonitor(Admin admin, String groupId, Collection<String> topics) {
        this.admin = admin;
        this.groupId = groupId;
        this.topics = List.copyOf(topics);
    }

    /**
     * Checks the partitions {@code scope} accepts now, counts and logs new gaps and returns them.
     *
     * @throws Exception when the cluster does not answer within 10 s (nothing is counted then)
     */
    public List<RetentionGap> check(Predicate<TopicPartition> scope) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, Long> committed = new HashMap<>();
        Set<String> wanted = Set.copyOf(topics);
        offsets.forEach((partition, offset) -> {
            if (offset != null && wanted.contains(partition.topic()) && scope.test(partition)) {
                committed.put(partition, offset.offset());
            }
        });
        if (committed.isEmpty()) {
            return List.of();
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        committed.keySet().forEach(partition -> request.put(partition, OffsetSpec.earliest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> earliest = admin.listOffsets(request).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, Long> logStart = new HashMap<>();
        earliest.forEach((partition, info) -> logStart.put(partition, info.offset()));
        List<RetentionGap> gaps = tracker.update(committed, logStart);
        for (RetentionGap gap : gaps) {
            ProcessorMetrics.RECORDS_DROPPED.labelValues("retention").inc(gap.records());
            ProcessorMetrics.RETENTION_DROPPED_RECORDS.labelValues(gap.partition().topic()).inc(gap.records());
            LOG.warn("{} records of {} (offsets {}..{}) were deleted by retention before application {} read them;"
                    + " they are lost and counted as kprom_processor_records_dropped_total{reason=\"retention\"}",
                    gap.records(), gap.partition(), gap.from(), gap.to() - 1, groupId);
        }
        return gaps;
    }

    /** Checks every partition of the input topics (used before Streams starts). */
    public List<RetentionGap> checkAll() throws Exception {
        return check(partition -> true);
    }

    /**
     * Repeats {@link #check} every {@code interval} on a daemon thread for the partitions {@code owned}
     * names at that moment; failures (broker unreachable) are logged and the next round tries again.
     */
    public void startPeriodic(Duration interval, Supplier<Set<TopicPartition>> owned) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "processor-retention-monitor");
            thread.setDaemon(true);
            return thread;
        });
        scheduler = executor;
        executor.scheduleWithFixedDelay(() -> {
            try {
                Set<TopicPartition> mine = owned.get();
                if (!mine.isEmpty()) {
                    check(mine::contains);
                }
            } catch (Exception e) {
                LOG.debug("retention check failed: {}", e.toString());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        ScheduledExecutorService executor = scheduler;
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        admin.close(Duration.ofSeconds(5));
    }
}
