package io.kprom.sink.ingest;

import io.kprom.schemas.avro.SeriesBatch;
import io.kprom.schemas.serde.KpromSerdes;
import io.kprom.sink.storage.Appender;
import io.kprom.sink.storage.SeriesStore;
import io.kprom.sink.kafka.RetentionSkip;
import io.kprom.sink.storage.SourcePartition;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code metrics.samples} into a {@link SeriesStore} exactly once: every poll's samples and
 * the partitions' next offsets go through one {@link Appender#commit}, which the store makes durable
 * in a single RocksDB write batch; on (re)assignment each partition is sought to the offset stored
 * with the data (or its beginning). Kafka's own committed offsets are written only for monitoring.
 *
 * <pre>{@code
 * SamplesConsumer consumer = SamplesConsumer.start(store, IngestOptions.builder(bootstrap).build());
 * boolean ready = consumer.caughtUp(1000) && !consumer.stuck();
 * consumer.close();   // before store.close()
 * }</pre>
 *
 * <p>Runs one thread. Thread-safe accessors; {@link #close()} stops the thread and the consumer.
 */
public final class SamplesConsumer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SamplesConsumer.class);
    private static final long LAG_REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final SeriesStore store;
    private final IngestOptions options;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<SeriesBatch> deserializer;
    private final SeriesBatchWriter writer = new SeriesBatchWriter();
    private final RetentionSkip retentionSkip =
            new RetentionSkip("the sink", "kprom_sink_records_dropped_total{reason=\"retention\"}");
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile long lag = -1;
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile long lastPollNanos = System.nanoTime();
    private volatile long recordsSkipped;
    private volatile long samplesStored;
    private volatile long recordsLostToRetention;
    private long lastLagNanos;
    private long lastPositionSum = -1;

    private SamplesConsumer(SeriesStore store, IngestOptions options) {
        this.store = store;
        this.options = options;
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, options.groupId());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "kprom-sink-" + options.groupId());
        config.putAll(options.consumerOverrides());
        // No automatic reset: a position below the log start (records deleted by retention before the sink
        // read them) must surface as OffsetOutOfRangeException so the loss is counted (see RetentionSkip).
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.deserializer = KpromSerdes.seriesBatch(Map.of()).deserializer();
        this.thread = new Thread(this::run, "sink-ingest-" + options.topic());
        this.thread.setDaemon(true);
    }

    /** Subscribes and starts the consuming thread. */
    public static SamplesConsumer start(SeriesStore store, IngestOptions options) {
        SamplesConsumer samplesConsumer = new SamplesConsumer(store, options);
        SeekToStoredOffsets seek = samplesConsumer.new SeekToStoredOffsets();
        if (options.assignment() == IngestOptions.Assignment.GROUP) {
            samplesConsumer.consumer.subscribe(List.of(options.topic()), seek);
        } else {
            List<TopicPartition> partitions = samplesConsumer.consumer.partitionsFor(options.topic(), Duration.ofSeconds(30))
                    .stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            if (partitions.isEmpty()) {
                samplesConsumer.consumer.close();
                throw new IllegalStateException("topic " + options.topic() + " has no partitions (does it exist?)");
            }
            samplesConsumer.consumer.assign(partitions);
            seek.onPartitionsAssigned(partitions);
        }
        samplesConsumer.thread.start();
        return samplesConsumer;
    }

    /** Records behind the end of the assigned partitions; -1 until known (no assignment or no answer yet). */
    public long lag() {
        return lag;
    }

    /** Whether the lag is known and at most {@code maxLag}, and the consumer is not {@link #stuck()}. */
    public boolean caughtUp(long maxLag) {
        long current = lag;
        return current >= 0 && current <= maxLag && !stuck();
    }

    /**
     * Whether ingestion has stopped: the thread died (e.g. the store failed), no poll returned for
     * {@link IngestOptions#stuckAfter()}, or there is lag but the position has not moved for that long.
     */
    public boolean stuck() {
        if (failure != null || (!thread.isAlive() && running)) {
            return true;
        }
        long limit = options.stuckAfter().toNanos();
        long now = System.nanoTime();
        return now - lastPollNanos > limit || (lag != 0 && now - lastProgressNanos > limit);
    }

    /** Why the consuming thread stopped, or null while it runs. */
    public Throwable failure() {
        return failure;
    }

    /** Records skipped because they could not be decoded. */
    public long recordsSkipped() {
        return recordsSkipped;
    }

    /** Records deleted by Kafka's retention before this consumer read them, since start. */
    public long recordsLostToRetention() {
        return recordsLostToRetention;
    }

    /** Samples the store accepted since start. */
    public long samplesStored() {
        return samplesStored;
    }

    /** Stores positions moved past a retention gap with the data, so a restart does not count the gap again. */
    private static void storePositions(Appender appender, Map<TopicPartition, Long> positions) {
        if (positions.isEmpty()) {
            return;
        }
        Map<SourcePartition, Long> stored = new HashMap<>();
        positions.forEach((partition, offset) -> stored.put(new SourcePartition(partition.topic(), partition.partition()), offset));
        appender.commit(stored);
    }

    private void run() {
        Appender appender = store.appender();
        Map<SourcePartition, Long> nextOffsets = new HashMap<>();
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(options.pollTimeout());
                } catch (OffsetOutOfRangeException e) {
                    Map<TopicPartition, Long> moved = retentionSkip.skip(consumer, e.offsetOutOfRangePartitions(), gap -> {
                        IngestMetrics.RECORDS_DROPPED.labelValues("retention").inc(gap);
                        recordsLostToRetention += gap;
                    });
                    storePositions(appender, moved);
                    continue;
                } catch (NoOffsetForPartitionException e) {
                    // Not expected (every assigned partition is sought on assignment); read from the start.
                    LOG.warn("no position for {}; reading from the beginning", e.partitions());
                    consumer.seekToBeginning(e.partitions());
                    continue;
                }
                lastPollNanos = System.nanoTime();
                nextOffsets.clear();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    IngestMetrics.RECORDS.inc();
                    nextOffsets.put(new SourcePartition(record.topic(), record.partition()), record.offset() + 1);
                    SeriesBatch batch = decode(record);
                    if (batch != null) {
                        samplesStored += writer.write(batch, appender);
                    }
                }
                appender.commit(nextOffsets);
                refreshLag();
            }
        } catch (WakeupException e) {
            if (running) {
                failure = e;
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("ingest from {} stopped: {}", options.topic(), e.toString(), e);
        } finally {
            try {
                consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                LOG.warn("closing the consumer failed: {}", e.toString());
            }
            stopped.countDown();
        }
    }

    private SeriesBatch decode(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            skip("null_value", record, null);
            return null;
        }
        try {
            return deserializer.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            skip("undecodable", record, e);
            return null;
        }
    }

    private void skip(String reason, ConsumerRecord<byte[], byte[]> record, Exception cause) {
        recordsSkipped++;
        IngestMetrics.RECORDS_SKIPPED.labelValues(reason).inc();
        LOG.warn("skipping record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                cause == null ? reason : cause.getMessage());
    }

    private void refreshLag() {
        long now = System.nanoTime();
        if (now - lastLagNanos < LAG_REFRESH_NANOS) {
            return;
        }
        lastLagNanos = now;
        Set<TopicPartition> assignment = consumer.assignment();
        if (assignment.isEmpty()) {
            lag = -1;
            return;
        }
        Map<TopicPartition, Long> ends;
        long total = 0;
        long positions = 0;
        try {
            ends = consumer.endOffsets(assignment, Duration.ofSeconds(5));
            for (TopicPartition partition : assignment) {
                long position = consumer.position(partition, Duration.ofSeconds(5));
                positions += position;
                total += Math.max(0, ends.getOrDefault(partition, position) - position);
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            // Broker unreachable: lag is unknown, not fatal. Keep the last figure and ask again on a later poll;
            // ingestion resumes by itself when the broker answers.
            LOG.debug("lag refresh timed out: {}", e.toString());
            return;
        }
        if (positions != lastPositionSum || total == 0) {
            lastProgressNanos = now;
            lastPositionSum = positions;
        }
        lag = total;
        IngestMetrics.LAG.set(total);
        commitDurableOffsetsForMonitoring(assignment);
    }

    private void commitDurableOffsetsForMonitoring(Set<TopicPartition> assignment) {
        Map<SourcePartition, Long> durable = store.committedOffsets();
        Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> commit = new HashMap<>();
        for (TopicPartition partition : assignment) {
            Long offset = durable.get(new SourcePartition(partition.topic(), partition.partition()));
            if (offset != null) {
                commit.put(partition, new org.apache.kafka.clients.consumer.OffsetAndMetadata(offset));
            }
        }
        if (!commit.isEmpty()) {
            consumer.commitAsync(commit, (offsets, e) -> {
                if (e != null) {
                    LOG.debug("monitoring offset commit failed: {}", e.toString());
                }
            });
        }
    }

    /** Stops consuming; the samples of the last finished poll are committed, the head flushes at store close. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            if (!stopped.await(30, TimeUnit.SECONDS)) {
                LOG.warn("ingest thread did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Seeks newly assigned partitions to the offsets stored with the data. */
    private final class SeekToStoredOffsets implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Map<SourcePartition, Long> stored = store.committedOffsets();
            for (TopicPartition partition : partitions) {
                Long offset = stored.get(new SourcePartition(partition.topic(), partition.partition()));
                if (offset == null) {
                    consumer.seekToBeginning(List.of(partition));
                } else {
                    consumer.seek(partition, offset);
                }
            }
            LOG.info("assigned {}; resuming at stored offsets {}", partitions, stored);
            lastProgressNanos = System.nanoTime();
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            lag = -1;
        }
    }
}
