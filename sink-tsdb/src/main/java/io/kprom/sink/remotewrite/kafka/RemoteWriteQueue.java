package io.kprom.sink.remotewrite.kafka;

import io.kprom.common.config.RemoteWriteConfig;
import io.kprom.common.labels.Labels;
import io.kprom.common.relabel.Relabeler;
import io.kprom.schemas.avro.Series;
import io.kprom.schemas.avro.SeriesBatch;
import io.kprom.schemas.serde.KpromSerdes;
import io.kprom.sink.kafka.RetentionSkip;
import io.kprom.sink.remotewrite.RemoteWriteClient;
import io.kprom.sink.remotewrite.RemoteWriteMetrics;
import io.kprom.sink.remotewrite.SeriesBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards {@code metrics.samples} to one {@code remote_write} endpoint through its own consumer
 * group, so a slow or dead endpoint never holds back local storage.
 *
 * <p>Each series goes to a shard by its label hash, so its samples are sent in order. Samples are
 * buffered until {@code max_samples_per_send} are waiting or {@code batch_send_deadline} passed;
 * then every shard sends its batches in parallel while the consumer stays in its group with its
 * partitions paused; offsets are committed only once every batch was answered (2xx, or dropped
 * with a non-recoverable status and counted). A crash or shutdown mid-send re-sends from the last
 * commit: delivery is at least once, in order per series.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} once. One internal poll thread.
 */
public final class RemoteWriteQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteQueue.class);
    static final int SHARD_CAP = 16;

    private final RemoteWriteConfig config;
    private final String remoteName;
    private final Labels externalLabels;
    private final String topic;
    private final Properties consumerProperties;
    private final int shardCount;
    private final SeriesBuffer[] shards;
    private final Map<TopicPartition, Long> pendingOffsets = new HashMap<>();
    private final Deserializer<SeriesBatch> decoder = KpromSerdes.seriesBatch(Map.of()).deserializer();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final RetentionSkip retentionSkip;
    private final Object sleepLock = new Object();
    private final String[] metricLabels;
    private volatile boolean running = true;
    private volatile boolean flushing;
    private ExecutorService senders;
    private RemoteWriteClient client;
    private KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;
    private long firstBufferedNanos = -1;
    private long lastLagCheckNanos;

    /**
     * @param consumerProperties Kafka client settings (at least {@code bootstrap.servers}); the
     *     group id, deserializers and commit mode are set here
     */
    public RemoteWriteQueue(RemoteWriteConfig config, Labels externalLabels, String topic,
            Map<String, Object> consumerProperties) {
        this.config = config;
        this.remoteName = RemoteWriteService.remoteName(config);
        this.externalLabels = externalLabels;
        this.topic = topic;
        this.shardCount = Math.max(1, Math.min(config.queueConfig().maxShards(), SHARD_CAP));
        this.shards = new SeriesBuffer[shardCount];
        for (int i = 0; i < shardCount; i++) {
            shards[i] = new SeriesBuffer();
        }
        this.metricLabels = new String[] {remoteName, config.url()};
        this.retentionSkip = new RetentionSkip("remote write " + remoteName,
                "kprom_remote_storage_records_dropped_total{reason=\"retention\"}");
        Properties props = new Properties();
        props.putAll(consumerProperties);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // The processor writes metrics.samples in exactly-once transactions: never forward aborted data.
        props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // No silent reset: a new endpoint starts at the oldest retained record, and a position that retention
        // deleted is counted before the queue moves on (see pollCounting).
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "kprom-remote-write-" + remoteName);
        this.consumerProperties = props;
    }

    /** The consumer group: one per endpoint, stable across restarts. */
    public String groupId() {
        return "kprom-remote-write-" + remoteName;
    }

    public void start() {
        client = new RemoteWriteClient(config, remoteName, this::sleep);
        senders = Executors.newFixedThreadPool(shardCount, runnable -> {
            Thread t = new Thread(runnable, "kprom-remote-write-" + remoteName + "-shard");
            t.setDaemon(true);
            return t;
        });
        consumer = new KafkaConsumer<>(consumerProperties);
        RemoteWriteMetrics.SHARDS.labelValues(metricLabels).set(shardCount);
        thread = new Thread(this::run, "kprom-remote-write-" + remoteName);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    if (!flushing && running) {
                        flush(false); // send and commit what we hold before another member takes over
                    }
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (flushing) {
                        consumer.pause(partitions);
                    }
                }
            });
            Duration deadline = config.queueConfig().batchSendDeadline();
            while (running) {
                ConsumerRecords<byte[], byte[]> records = pollCounting();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    buffer(record);
                }
                int buffered = bufferedSamples();
                boolean due = firstBufferedNanos >= 0 && System.nanoTime() - firstBufferedNanos >= deadline.toNanos();
                if (buffered >= config.queueConfig().maxSamplesPerSend() || due) {
                    flush(true);
                }
                updateLag();
            }
        } catch (WakeupException e) {
            // close() woke the consumer
        } catch (RuntimeException e) {
            LOG.error("remote write queue {} stopped on an unexpected error; offsets stay at the last commit", remoteName, e);
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debug("closing the remote write consumer failed", e);
            }
            stopped.countDown();
        }
    }

    /**
     * Polls, resolving positions the consumer cannot: a partition without a committed offset (a new endpoint)
     * starts at its beginning; a position below the log start (records deleted by retention before they were
     * sent) is counted in {@code kprom_remote_storage_records_dropped_total{reason="retention"}}, logged, and
     * the queue continues at the log start.
     */
    private ConsumerRecords<byte[], byte[]> pollCounting() {
        try {
            return consumer.poll(Duration.ofMillis(100));
        } catch (NoOffsetForPartitionException e) {
            consumer.seekToBeginning(e.partitions());
        } catch (OffsetOutOfRangeException e) {
            skipDeleted(e.offsetOutOfRangePartitions());
        }
        return ConsumerRecords.empty();
    }

    private void skipDeleted(Map<TopicPartition, Long> positions) {
        Map<TopicPartition, Long> moved = retentionSkip.skip(consumer, positions,
                gap -> RemoteWriteMetrics.RECORDS_DROPPED.labelValues(remoteName, config.url(), "retention").inc(gap));
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        moved.forEach((partition, start) -> {
            if (!pendingOffsets.containsKey(partition)) {
                commit.put(partition, new OffsetAndMetadata(start)); // so a restart does not count it again
            }
        });
        if (!commit.isEmpty()) {
            try {
                consumer.commitSync(commit);
            } catch (RuntimeException e) {
                LOG.warn("remote write {} could not commit the positions after a retention gap: {}", remoteName,
                        e.getMessage());
            }
        }
    }

    private void buffer(ConsumerRecord<byte[], byte[]> record) {
        pendingOffsets.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
        if (firstBufferedNanos < 0) {
            firstBufferedNanos = System.nanoTime();
        }
        SeriesBatch batch;
        try {
            batch = decoder.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            LOG.warn("skipping undecodable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            RemoteWriteMetrics.SAMPLES_DROPPED.labelValues(remoteName, config.url(), "undecodable_record").inc();
            return;
        }
        if (batch == null) {
            return;
        }
        for (Series series : batch.getSeries()) {
            List<Long> timestamps = series.getTimestamps();
            List<Double> values = series.getValues();
            int count = Math.min(timestamps.size(), values.size());
            if (series.getHistograms() != null && !series.getHistograms().isEmpty()) {
                RemoteWriteMetrics.SAMPLES_DROPPED.labelValues(remoteName, config.url(), "native_histogram_not_sent")
                        .inc(series.getHistograms().size());
            }
            if (count == 0) {
                continue;
            }
            Labels labels = withExternalLabels(Labels.fromList(series.getLabels()));
            labels = Relabeler.process(labels, config.writeRelabelConfigs());
            if (labels == null || labels.isEmpty()) {
                RemoteWriteMetrics.SAMPLES_DROPPED.labelValues(remoteName, config.url(), "write_relabel").inc(count);
                continue;
            }
            SeriesBuffer shard = shards[(int) Long.remainderUnsigned(labels.stableHash(), shardCount)];
            for (int i = 0; i < count; i++) {
                shard.add(labels, timestamps.get(i), values.get(i));
            }
            RemoteWriteMetrics.SAMPLES_PENDING.labelValues(metricLabels).inc(count);
        }
    }

    private Labels withExternalLabels(Labels labels) {
        if (externalLabels.isEmpty()) {
            return labels;
        }
        Labels.Builder builder = null;
        for (int i = 0; i < externalLabels.size(); i++) {
            if (!labels.has(externalLabels.name(i))) {
                if (builder == null) {
                    builder = labels.toBuilder();
                }
                builder.set(externalLabels.name(i), externalLabels.value(i));
            }
        }
        return builder == null ? labels : builder.build();
    }

    private int bufferedSamples() {
        int total = 0;
        for (SeriesBuffer shard : shards) {
            total += shard.samples();
        }
        return total;
    }

    /** Sends everything buffered, then commits the offsets it covers (unless shutdown cut it short). */
    private void flush(boolean pollWhileSending) {
        if (pendingOffsets.isEmpty()) {
            firstBufferedNanos = -1;
            return;
        }
        flushing = true;
        consumer.pause(consumer.assignment());
        List<Future<Boolean>> sends = new ArrayList<>();
        try {
            for (SeriesBuffer shard : shards) {
                if (shard.isEmpty()) {
                    continue;
                }
                int samples = shard.samples();
                List<List<SeriesBuffer.SeriesSamples>> batches = shard.drainBatches(config.queueConfig().maxSamplesPerSend());
                sends.add(senders.submit(() -> sendInOrder(batches, samples)));
            }
            boolean complete = true;
            for (Future<Boolean> send : sends) {
                while (pollWhileSending && !send.isDone()) {
                    pollCounting(); // stay in the group; partitions are paused
                }
                complete &= send.get();
            }
            if (complete) {
                Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
                pendingOffsets.forEach((partition, offset) -> commit.put(partition, new OffsetAndMetadata(offset)));
                try {
                    consumer.commitSync(commit);
                } catch (RuntimeException e) {
                    LOG.warn("remote write {} could not commit offsets (partitions moved?); another member re-sends them: {}",
                            remoteName, e.getMessage());
                }
                pendingOffsets.clear();
            } else {
                running = false; // shutdown interrupted sending: leave offsets for the next start
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("remote write shard failed", e.getCause());
        } finally {
            flushing = false;
            firstBufferedNanos = -1;
            if (running) {
                consumer.resume(consumer.assignment());
            }
        }
    }

    private boolean sendInOrder(List<List<SeriesBuffer.SeriesSamples>> batches, int samples) {
        int left = samples;
        try {
            for (List<SeriesBuffer.SeriesSamples> batch : batches) {
                int size = batch.stream().mapToInt(s -> s.timestamps().length).sum();
                if (client.send(batch, () -> running) == RemoteWriteClient.Outcome.ABORTED) {
                    return false;
                }
                left -= size;
                RemoteWriteMetrics.SAMPLES_PENDING.labelValues(metricLabels).dec(size);
            }
            return true;
        } finally {
            if (left > 0) {
                RemoteWriteMetrics.SAMPLES_PENDING.labelValues(metricLabels).dec(left);
            }
        }
    }

    private void updateLag() {
        long now = System.nanoTime();
        if (now - lastLagCheckNanos < TimeUnit.SECONDS.toNanos(5)) {
            return;
        }
        lastLagCheckNanos = now;
        var assignment = consumer.assignment();
        if (assignment.isEmpty()) {
            return;
        }
        try {
            Map<TopicPartition, Long> ends = consumer.endOffsets(assignment, Duration.ofSeconds(2));
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assignment, Duration.ofSeconds(2));
            long lag = 0;
            for (TopicPartition partition : assignment) {
                OffsetAndMetadata done = committed.get(partition);
                lag += Math.max(0, ends.getOrDefault(partition, 0L) - (done == null ? 0 : done.offset()));
            }
            RemoteWriteMetrics.CONSUMER_LAG.labelValues(metricLabels).set(lag);
        } catch (RuntimeException e) {
            LOG.debug("lag check failed", e);
        }
    }

    private boolean sleep(Duration duration) {
        synchronized (sleepLock) {
            long until = System.nanoTime() + duration.toNanos();
            while (running) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(sleepLock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return false;
        }
    }

    /** Stops sending (an in-flight retry is abandoned, its offsets stay uncommitted) and leaves the group. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        synchronized (sleepLock) {
            sleepLock.notifyAll();
        }
        if (thread != null) {
            consumer.wakeup();
            if (!stopped.await(30, TimeUnit.SECONDS)) {
                LOG.warn("remote write queue {} did not stop within 30s", remoteName);
            }
            senders.shutdownNow();
            client.close();
        }
    }
}
