package io.kprom.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.serde.registry.FakeSchemaRegistry;
import io.kprom.testsupport.KafkaBroker;
import io.kprom.testsupport.KafkaBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A 10 000-series ScrapeBatch through a real broker, in both serde modes, comes back equal. */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaRoundTripIT {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"single-object", "schema-registry"})
    void tenThousandSeriesComeBackEqual(String mode, KafkaBroker broker) throws Exception {
        String topic = "roundtrip-" + mode + "-" + UUID.randomUUID();
        try (var admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("max.message.bytes", "16777216"))))
                    .all().get();
        }
        try (FakeSchemaRegistry registry = FakeSchemaRegistry.start()) {
            Map<String, Object> serdeConfig = mode.equals("schema-registry")
                    ? Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url()) : Map.of();
            Serde<ScrapeBatch> serde = KpromSerdes.scrapeBatch(serdeConfig);
            ScrapeBatch batch = TestBatches.scrapeBatch(10_000);

            Map<String, Object> producerConfig = new HashMap<>(broker.clientConfig());
            producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
            producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            producerConfig.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
            producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
            try (var producer = new KafkaProducer<>(producerConfig, new StringSerializer(), serde.serializer())) {
                producer.send(new ProducerRecord<>(topic, "node/10.0.0.1:9100", batch)).get();
            }

            Map<String, Object> consumerConfig = new HashMap<>(broker.clientConfig());
            consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "roundtrip-" + UUID.randomUUID());
            consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            List<ConsumerRecord<String, ScrapeBatch>> received = new ArrayList<>();
            try (var consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), serde.deserializer())) {
                consumer.subscribe(List.of(topic));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (received.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(500)).forEach(received::add);
                }
            }

            assertThat(received).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo("node/10.0.0.1:9100");
                assertThat(record.value().getSeries()).hasSize(10_000);
                assertThat(record.value()).isEqualTo(batch);
            });
            if (mode.equals("schema-registry")) {
                assertThat(registry.requests()).as("schema registered once").isGreaterThanOrEqualTo(1);
            }
        }
    }
}
