package io.kprom.scraper.kafka;

import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.avro.ScrapeOutcome;
import io.kprom.scraper.scrape.BatchPublisher;
import io.kprom.scraper.scrape.BatchTooLargeException;
import io.kprom.scraper.scrape.ScraperMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes batches to {@code metrics.raw} through a bounded in-memory buffer, so scrape loops never
 * wait on Kafka: {@link #publish} serializes and enqueues; one sender thread hands records to the
 * idempotent producer ({@code acks=all}, zstd) with a short {@code max.block.ms}. A failed send goes back into the
 * buffer at its original place (batches are ordered by when they were published, so several sends failing
 * together are retried oldest first, keeping each target's scrapes in time order) and is retried; when the buffer
 * exceeds its byte capacity the oldest batches are dropped and counted in
 * {@code kprom_scraper_batches_dropped_total{reason="buffer_full"}}.
 *
 * <p>Order across the producer: batches the producer already holds are not recalled when an older one fails, so
 * a failed batch can reach Kafka after newer ones of the same target. Give the producer an unbounded
 * {@code delivery.timeout.ms} (as {@code kprom standalone} does) so that retriable errors, including a broker outage,
 * are retried inside the producer, in order; only non-retriable errors then come back here.
 *
 * <p>Large scrapes: the producer's {@code max.request.size} and {@code buffer.memory} are sized for one
 * record of up to {@code maxBatchBytes} encoded (uncompressed) bytes, which zstd then shrinks for the
 * broker (whose {@code max.message.bytes} on {@code metrics.raw} judges the compressed batch). A batch above {@code maxBatchBytes}, or one the
 * broker refuses as too large, is replaced by a failed outcome for the same target saying so (so the
 * processor still sees the scrape, as {@code up 0}), counted with reason {@code too_large} or
 * {@code oversized}, and its future fails with {@link BatchTooLargeException}. Thread-safe.
 */
public final class KafkaBatchPublisher implements BatchPublisher, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBatchPublisher.class);

    /** Default cap on one encoded batch: a 1 000 000-series scrape is about 100 MiB. */
    public static final long DEFAULT_MAX_BATCH_BYTES = 256L * 1024 * 1024;
    /** Batches at least this big carry a ready failure record to publish if the broker refuses them. */
    private static final int FALLBACK_THRESHOLD_BYTES = 1024 * 1024;
    private static final long MIB = 1024 * 1024;

    /**
     * @param sequence publication order: the buffer is sorted by it, a retried batch keeps it
     * @param tooLarge the failed-outcome record to publish instead when the broker refuses this one, or null
     */
    private record Pending(long sequence, String key, byte[] value, CompletableFuture<Void> done, byte[] tooLarge,
            String tooLargeMessage) {
    }

    private final String topic;
    private final Serializer<ScrapeBatch> serializer;
    private final Producer<String, byte[]> producer;
    private final long capacityBytes;
    private final long maxBatchBytes;
    /** Waiting batches by sequence; guarded by itself. */
    private final TreeMap<Long, Pending> buffer = new TreeMap<>();
    private long nextSequence;
    private long bufferedBytes;
    private volatile boolean closed;
    private final Thread sender;

    /**
     * @param producerConfig Kafka client settings (bootstrap.servers, security, ...); kprom's producer settings are added
     * @param capacityBytes buffer capacity in serialized bytes
     */
    public KafkaBatchPublisher(Map<String, Object> producerConfig, Serializer<ScrapeBatch> serializer, String topic,
            long capacityBytes) {
        this(producerConfig, serializer, topic, capacityBytes, DEFAULT_MAX_BATCH_BYTES);
    }

    /**
     * @param producerConfig Kafka client settings (bootstrap.servers, security, ...); kprom's producer settings are added
     * @param capacityBytes buffer capacity in serialized bytes
     * @param maxBatchBytes largest encoded batch published; bigger ones become a failed outcome (reason too_large)
     */
    public KafkaBatchPublisher(Map<String, Object> producerConfig, Serializer<ScrapeBatch> serializer, String topic,
            long capacityBytes, long maxBatchBytes) {
        if (maxBatchBytes < MIB || maxBatchBytes > Integer.MAX_VALUE - 64 * MIB) {
            throw new IllegalArgumentException("maxBatchBytes " + maxBatchBytes + " outside [1 MiB, 1.9 GiB]");
        }
        this.topic = topic;
        this.serializer = serializer;
        this.capacityBytes = capacityBytes;
        this.maxBatchBytes = maxBatchBytes;
        Map<String, Object> config = new HashMap<>(producerConfig);
        config.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        config.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000);
        // The producer checks the uncompressed record against both limits, so they must exceed the largest batch
        // (raised over smaller shared defaults: the broker judges the compressed size against max.message.bytes).
        atLeast(config, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxBatchBytes + MIB);
        atLeast(config, ProducerConfig.BUFFER_MEMORY_CONFIG, maxBatchBytes + 32 * MIB);
        config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "kprom-scraper");
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        ScraperMetrics.BUFFER_CAPACITY_BYTES.set(capacityBytes);
        sender = startSender();
    }

    /** With a given producer (tests: a fake whose sends they complete or fail); it is closed by {@link #close()}. */
    KafkaBatchPublisher(Producer<String, byte[]> producer, Serializer<ScrapeBatch> serializer, String topic,
            long capacityBytes, long maxBatchBytes) {
        this.topic = topic;
        this.serializer = serializer;
        this.capacityBytes = capacityBytes;
        this.maxBatchBytes = maxBatchBytes;
        this.producer = producer;
        sender = startSender();
    }

    private Thread startSender() {
        Thread thread = new Thread(this::sendLoop, "kprom-scraper-publisher");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void atLeast(Map<String, Object> config, String key, long minimum) {
        Object current = config.get(key);
        long value = current == null ? 0 : Long.parseLong(current.toString());
        if (value < minimum) {
            config.put(key, key.equals(ProducerConfig.MAX_REQUEST_SIZE_CONFIG) ? (Object) (int) minimum : (Object) minimum);
        }
    }

    @Override
    public CompletableFuture<Void> publish(String key, ScrapeBatch batch) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        byte[] value;
        try {
            value = serializer.serialize(topic, batch);
        } catch (RuntimeException e) {
            ScraperMetrics.BATCHES_DROPPED.labelValues("serialization").inc();
            done.completeExceptionally(e);
            return done;
        }
        if (closed) {
            ScraperMetrics.BATCHES_DROPPED.labelValues("closed").inc();
            done.completeExceptionally(new IllegalStateException("publisher closed"));
            return done;
        }
        if (value.length > maxBatchBytes) {
            ScraperMetrics.BATCHES_DROPPED.labelValues("too_large").inc();
            String message = "scrape batch too large: " + value.length + " bytes encoded (" + batch.getSeries().size()
                    + " series), above the scraper's limit of " + maxBatchBytes
                    + " bytes; reduce the target's series (metric_relabel_configs cannot help here) or raise the scraper's max batch bytes";
            LOG.warn("{} (target {})", message, key);
            byte[] failure = failureValue(batch, message);
            value = null; // Let the large array go before queueing the small one.
            if (failure != null) {
                enqueue(null, key, failure, new CompletableFuture<>(), null, null);
            }
            done.completeExceptionally(new BatchTooLargeException(message));
            return done;
        }
        byte[] tooLarge = null;
        String tooLargeMessage = null;
        if (value.length >= FALLBACK_THRESHOLD_BYTES) {
            tooLargeMessage = "scrape batch too large for the broker: " + value.length + " bytes encoded ("
                    + batch.getSeries().size() + " series) exceed the topic's max.message.bytes after compression";
            tooLarge = failureValue(batch, tooLargeMessage);
        }
        enqueue(null, key, value, done, tooLarge, tooLargeMessage);
        return done;
    }

    /** The batch's target and timing with a failed outcome carrying {@code message} and no series, encoded. */
    private byte[] failureValue(ScrapeBatch batch, String message) {
        ScrapeBatch failure = ScrapeBatch.newBuilder(batch)
                .setOutcome(new ScrapeOutcome(false, message, batch.getOutcome().getDurationSeconds(),
                        batch.getOutcome().getBodyBytes(), batch.getOutcome().getContentType()))
                .setSeries(new ArrayList<>()).setMetadata(new ArrayList<>()).build();
        try {
            return serializer.serialize(topic, failure);
        } catch (RuntimeException e) {
            ScraperMetrics.BATCHES_DROPPED.labelValues("serialization").inc();
            return null;
        }
    }

    /** Queues a new batch ({@code sequence} null: after every other) or a retried one at its original place. */
    private void enqueue(Long sequence, String key, byte[] value, CompletableFuture<Void> done, byte[] tooLarge,
            String tooLargeMessage) {
        synchronized (buffer) {
            Pending pending = new Pending(sequence == null ? nextSequence++ : sequence, key, value, done, tooLarge,
                    tooLargeMessage);
            buffer.put(pending.sequence(), pending);
            bufferedBytes += pending.value().length;
            while (bufferedBytes > capacityBytes && buffer.size() > 1) {
                Pending oldest = buffer.pollFirstEntry().getValue();
                bufferedBytes -= oldest.value().length;
                ScraperMetrics.BATCHES_DROPPED.labelValues("buffer_full").inc();
                oldest.done().completeExceptionally(new IllegalStateException("publish buffer full; batch dropped"));
            }
            updateGauges();
            buffer.notifyAll();
        }
    }

    private void updateGauges() {
        ScraperMetrics.BUFFER_BATCHES.set(buffer.size());
        ScraperMetrics.BUFFER_BYTES.set(bufferedBytes);
    }

    private void sendLoop() {
        long backoffMillis = 0;
        while (!closed) {
            Pending next;
            synchronized (buffer) {
                while (buffer.isEmpty() && !closed) {
                    try {
                        buffer.wait(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                next = buffer.pollFirstEntry().getValue();
                bufferedBytes -= next.value().length;
                updateGauges();
            }
            try {
                Pending sent = next;
                producer.send(new ProducerRecord<>(topic, sent.key(), sent.value()), (metadata, error) -> {
                    if (error == null) {
                        ScraperMetrics.BATCHES_SENT.inc();
                        sent.done().complete(null);
                    } else {
                        failed(sent, error);
                    }
                });
                backoffMillis = 0;
            } catch (RuntimeException e) {
                // max.block.ms elapsed (broker unreachable) or the producer refused the record.
                failed(next, e);
                backoffMillis = Math.min(Math.max(100, backoffMillis * 2), 5000);
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void failed(Pending pending, Exception error) {
        ScraperMetrics.PRODUCER_ERRORS.inc();
        if (error instanceof RecordTooLargeException) {
            ScraperMetrics.BATCHES_DROPPED.labelValues("oversized").inc();
            if (pending.tooLarge() != null) {
                LOG.warn("{} (target {})", pending.tooLargeMessage(), pending.key());
                enqueue(pending.sequence(), pending.key(), pending.tooLarge(), new CompletableFuture<>(), null, null);
                pending.done().completeExceptionally(new BatchTooLargeException(pending.tooLargeMessage()));
            } else {
                pending.done().completeExceptionally(error);
            }
            return;
        }
        if (closed) {
            ScraperMetrics.BATCHES_DROPPED.labelValues("closed").inc();
            pending.done().completeExceptionally(error);
            return;
        }
        LOG.debug("send to {} failed, retrying: {}", topic, error.toString());
        enqueue(pending.sequence(), pending.key(), pending.value(), pending.done(), pending.tooLarge(),
                pending.tooLargeMessage());
    }

    /** Batches waiting (not yet handed to the producer). */
    public int buffered() {
        synchronized (buffer) {
            return buffer.size();
        }
    }

    @Override
    public void close() {
        // Give queued batches up to 5 s to go out, but stop waiting once they stop moving for a second
        // (broker unreachable): then nothing more would be sent anyway.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int lastCount = buffered();
        long lastProgress = System.nanoTime();
        while (lastCount > 0 && System.nanoTime() < deadline
                && System.nanoTime() - lastProgress < TimeUnit.SECONDS.toNanos(1)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            int count = buffered();
            if (count < lastCount) {
                lastProgress = System.nanoTime();
            }
            lastCount = count;
        }
        closed = true;
        synchronized (buffer) {
            buffer.notifyAll();
        }
        try {
            sender.join(1000);
            if (sender.isAlive()) {
                // Blocked in send() waiting for metadata from an unreachable broker: wake it up.
                sender.interrupt();
                sender.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        synchronized (buffer) {
            for (Pending pending : buffer.values()) {
                ScraperMetrics.BATCHES_DROPPED.labelValues("closed").inc();
                pending.done().completeExceptionally(new IllegalStateException("publisher closed"));
            }
            buffer.clear();
            bufferedBytes = 0;
            updateGauges();
        }
    }
}
