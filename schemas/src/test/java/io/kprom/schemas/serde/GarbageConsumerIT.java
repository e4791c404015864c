package io.kprom.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.schemas.avro.MetricMetadata;
import io.kprom.testsupport.KafkaBroker;
import io.kprom.testsupport.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A consumer fed garbage between good records counts the garbage by reason and keeps consuming. */
@ExtendWith(KafkaBrokerExtension.class)
class GarbageConsumerIT {
    @Test
    void countsGarbageByReasonSendsItToTheDeadLetterTopicAndKeepsConsuming(KafkaBroker broker) throws Exception {
        String topic = "garbage-" + UUID.randomUUID();
        String deadLetters = topic + ".dlq";
        broker.createTopics(1, topic, deadLetters);
        var serializer = KpromSerdes.metricMetadata(Map.of()).serializer();
        byte[] good = serializer.serialize(topic, TestBatches.metricMetadata());
        byte[] unknownFingerprint = good.clone();
        unknownFingerprint[4] ^= 0x33;
        List<byte[]> values = List.of(good, "not avro at all".getBytes(StandardCharsets.UTF_8), good, unknownFingerprint, good,
                Arrays.copyOf(good, good.length - 2), good);

        try (var producer = new KafkaProducer<>(broker.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(topic, value)).get();
            }
        }
        long badHeader = DecodeErrors.count(topic, DecodeErrorReason.BAD_HEADER);
        long unknown = DecodeErrors.count(topic, DecodeErrorReason.UNKNOWN_FINGERPRINT);
        long corrupt = DecodeErrors.count(topic, DecodeErrorReason.CORRUPT_PAYLOAD);

        Map<String, Object> deserializerConfig = new HashMap<>(broker.clientConfig());
        deserializerConfig.put(DeadLetterTopic.TOPIC_CONFIG, deadLetters);
        Deserializer<MetricMetadata> skipping = SkippingDeserializer.wrap(KpromSerdes.metricMetadata(Map.of()).deserializer(),
                deserializerConfig);
        List<ConsumerRecord<byte[], MetricMetadata>> received = poll(broker, topic, new ByteArrayDeserializer(), skipping, values.size());

        assertThat(received).hasSize(values.size());
        assertThat(received.stream().filter(r -> r.value() != null).map(ConsumerRecord::value))
                .containsExactly(TestBatches.metricMetadata(), TestBatches.metricMetadata(), TestBatches.metricMetadata(),
                        TestBatches.metricMetadata());
        assertThat(DecodeErrors.count(topic, DecodeErrorReason.BAD_HEADER)).isEqualTo(badHeader + 1);
        assertThat(DecodeErrors.count(topic, DecodeErrorReason.UNKNOWN_FINGERPRINT)).isEqualTo(unknown + 1);
        assertThat(DecodeErrors.count(topic, DecodeErrorReason.CORRUPT_PAYLOAD)).isEqualTo(corrupt + 1);

        List<ConsumerRecord<byte[], byte[]>> dead = poll(broker, deadLetters, new ByteArrayDeserializer(), new ByteArrayDeserializer(), 3);
        assertThat(dead).extracting(r -> new String(r.headers().lastHeader(DeadLetterTopic.HEADER_REASON).value(), StandardCharsets.UTF_8))
                .containsExactly("bad_header", "unknown_fingerprint", "corrupt_payload");
        assertThat(dead.get(0).value()).isEqualTo(values.get(1));
    }

    private static <V> List<ConsumerRecord<byte[], V>> poll(KafkaBroker broker, String topic, Deserializer<byte[]> keys,
            Deserializer<V> values, int expected) {
        Map<String, Object> config = new HashMap<>(broker.clientConfig());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "garbage-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], V>> received = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, keys, values)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (received.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(received::add);
            }
        }
        return received;
    }
}
