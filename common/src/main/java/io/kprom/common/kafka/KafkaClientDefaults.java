package io.kprom.common.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * kprom's Kafka client settings; each method returns a fresh mutable map that the caller may extend,
 * with {@code overrides} applied last (so any key can be changed from configuration).
 *
 * <h2>Producer</h2>
 * <ul>
 * <li>{@code enable.idempotence=true}, {@code acks=all}, {@code max.in.flight.requests.per.connection=5}: no
 *     duplicates or reordering on retry (Kafka is kprom's write-ahead log).</li>
 * <li>{@code compression.type=zstd}: a scrape's label strings repeat a lot; zstd gets about 4-6x on
 *     ScrapeBatch values (see the serde benchmark), and topics are catalogued with zstd too, so brokers
 *     store batches as they arrive without recompressing. lz4 is the cheaper-CPU alternative.</li>
 * <li>{@code linger.ms=10}, {@code batch.size=262144}: a scrape batch is usually one large record; small
 *     ones (alerts, metadata) are grouped for up to 10 ms.</li>
 * <li>{@code max.request.size=16777216}: matches {@code max.message.bytes} of {@code metrics.raw}.</li>
 * </ul>
 *
 * <h2>Consumer</h2>
 * <ul>
 * <li>{@code enable.auto.commit=false}: each consumer commits when its work is durable (the sink stores
 *     offsets with its data; remote write commits after the remote end accepted).</li>
 * <li>{@code auto.offset.reset=earliest}: a new consumer group starts with what Kafka still holds.</li>
 * <li>{@code isolation.level=read_committed}: only records of committed Streams transactions.</li>
 * <li>{@code max.poll.records=50}, {@code max.partition.fetch.bytes=16777216}, {@code fetch.max.bytes=67108864}:
 *     records are big batches, so fetch few at a time but allow the largest.</li>
 * </ul>
 */
public final class KafkaClientDefaults {
    public static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

    private KafkaClientDefaults() {
    }

    public static Map<String, Object> producer(String bootstrapServers, Map<String, ?> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_RECORD_BYTES);
        config.putAll(overrides);
        return config;
    }

    public static Map<String, Object> consumer(String bootstrapServers, String groupId, Map<String, ?> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_RECORD_BYTES);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * MAX_RECORD_BYTES);
        config.putAll(overrides);
        return config;
    }

    public static Map<String, Object> admin(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "kprom-admin");
        return config;
    }
}
