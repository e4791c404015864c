package io.kprom.sink.api.kafka;

import io.kprom.schemas.avro.MetricMetadata;
import io.kprom.schemas.serde.KpromSerdes;
import io.kprom.sink.api.MetricMetadataSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted {@code metrics.metadata} topic from the beginning (every partition, no
 * consumer group: each sink replica needs all of it) and keeps the latest metadata per metric
 * family for {@code /api/v1/metadata}. A null value (tombstone) forgets the family; undecodable
 * records are skipped and counted. Lifecycle: {@link #start} once, {@link #close()} once; one thread.
 */
public final class MetadataConsumer implements MetricMetadataSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataConsumer.class);
    private static final io.prometheus.metrics.core.metrics.Counter SKIPPED =
            io.prometheus.metrics.core.metrics.Counter.builder()
                    .name("kprom_sink_metadata_records_skipped_total")
                    .help("metrics.metadata records that could not be decoded.").register();

    private final ConcurrentSkipListMap<String, Entry> families = new ConcurrentSkipListMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Deserializer<MetricMetadata> decoder = KpromSerdes.metricMetadata(Map.of()).deserializer();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    private MetadataConsumer(String topic, Map<String, Object> consumerProperties) {
        this.topic = topic;
        Map<String, Object> props = new HashMap<>(consumerProperties);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "kprom-sink-metadata");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::run, "kprom-sink-metadata");
        thread.setDaemon(true);
    }

    /** Starts reading {@code topic}; {@code consumerProperties} needs at least {@code bootstrap.servers}. */
    public static MetadataConsumer start(String topic, Map<String, Object> consumerProperties) {
        MetadataConsumer metadata = new MetadataConsumer(topic, consumerProperties);
        metadata.thread.start();
        return metadata;
    }

    @Override
    public Map<String, Entry> snapshot() {
        return new TreeMap<>(families);
    }

    private void run() {
        try {
            while (running && !assign()) {
                TimeUnit.SECONDS.sleep(2); // the topic may not exist yet
            }
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    apply(record);
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("metadata consumer stopped; /api/v1/metadata keeps what it had", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
            stopped.countDown();
        }
    }

    private boolean assign() {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        if (partitions.isEmpty()) {
            return false;
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return true;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            if (record.key() != null) {
                families.remove(record.key());
            }
            return;
        }
        MetricMetadata metadata;
        try {
            metadata = decoder.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            SKIPPED.inc();
            LOG.debug("skipping undecodable metadata record at offset {}", record.offset(), e);
            return;
        }
        String family = metadata.getMetricFamily().toString();
        families.put(family, new Entry(metadata.getType().name().toLowerCase(Locale.ROOT),
                metadata.getHelp().toString(), metadata.getUnit().toString()));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        stopped.await(10, TimeUnit.SECONDS);
    }
}
