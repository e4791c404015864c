package io.kprom.evaluator;

import io.kprom.common.labels.Labels;
import io.kprom.schemas.avro.Series;
import io.kprom.schemas.avro.SeriesBatch;
import io.kprom.schemas.serde.KpromSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code metrics.samples} into the {@link WindowStore}, keeping only series a rule can
 * select. Every evaluator instance reads every partition (plain assignment, no consumer group):
 * the window is a cache, so instances need no coordination and a restart refills it by seeking
 * to the records written within the window. One background thread; {@link #caughtUp()} turns true
 * once the partitions' end offsets seen at start have been read. The thread also asks the brokers
 * for the partitions' end offsets about once a second, so the evaluator knows whether the broker
 * answers (an idle topic is not an outage); answers are reported to a
 * {@link BrokerContact}.
 */
final class SamplesConsumer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SamplesConsumer.class);

    private final KafkaConsumer<String, SeriesBatch> consumer;
    private final String topic;
    private final WindowStore window;
    private final RuleSelectors selectors;
    private final LongSupplier clock;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running = true;
    private final BrokerContact brokerContact;

    SamplesConsumer(Map<String, Object> kafkaConfig, String topic, WindowStore window, RuleSelectors selectors,
            LongSupplier clock, BrokerContact brokerContact) {
        this.brokerContact = brokerContact;
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                KpromSerdes.skipping(KpromSerdes.seriesBatch(config), config).deserializer());
        this.topic = topic;
        this.window = window;
        this.selectors = selectors;
        this.clock = clock;
        this.thread = new Thread(this::run, "evaluator-samples-consumer");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            // Records carry wall-clock append times; refill the window from there.
            long from = System.currentTimeMillis() - window.retentionMillis();
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(p -> query.put(p, from));
            Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(query);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            for (TopicPartition partition : partitions) {
                OffsetAndTimestamp offset = offsets.get(partition);
                consumer.seek(partition, offset == null ? ends.get(partition) : offset.offset());
            }
            brokerContact.answered();
            long lastEviction = 0;
            long lastProbe = System.nanoTime();
            while (running) {
                var records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    brokerContact.answered();
                }
                for (ConsumerRecord<String, SeriesBatch> record : records) {
                    if (record.value() == null) {
                        continue;
                    }
                    ingest(record.value());
                }
                if (System.nanoTime() - lastProbe > 1_000_000_000L) {
                    lastProbe = System.nanoTime();
                    probeBroker(partitions);
                }
                if (caughtUp.getCount() > 0 && reached(ends)) {
                    caughtUp.countDown();
                }
                long now = clock.getAsLong();
                if (now - lastEviction > 10_000) {
                    window.evict(now);
                    lastEviction = now;
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("samples consumer stopped", e);
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** A cheap request the brokers must answer (end offsets); a timeout leaves the last contact as it was. */
    private void probeBroker(List<TopicPartition> partitions) {
        try {
            consumer.endOffsets(partitions, Duration.ofSeconds(2));
            brokerContact.answered();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            LOG.debug("broker did not answer an end-offsets request: {}", e.getMessage());
        }
    }

    private boolean reached(Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void ingest(SeriesBatch batch) {
        for (Series series : batch.getSeries()) {
            Labels labels = Labels.fromList(series.getLabels());
            if (!selectors.matches(labels)) {
                EvaluatorMetrics.SAMPLES_DROPPED.labelValues("not_selected").inc(series.getTimestamps().size());
                continue;
            }
            List<Long> timestamps = series.getTimestamps();
            List<Double> values = series.getValues();
            for (int i = 0; i < timestamps.size(); i++) {
                window.append(labels, timestamps.get(i), values.get(i));
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
