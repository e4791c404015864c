package io.kprom.schemas.serde;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Copies undecodable records, bytes unchanged, to a dead-letter topic with headers saying where they
 * came from and why: {@code kprom.dlq.topic}, {@code kprom.dlq.reason}, {@code kprom.dlq.error}
 * (plus the record's own headers). Configured by {@value #TOPIC_CONFIG}; the producer takes the other
 * producer settings of the same map ({@code bootstrap.servers}, security, ...). Thread-safe.
 */
public final class DeadLetterTopic implements AutoCloseable {
    /** Config key naming the dead-letter topic; unset = no dead-letter topic. */
    public static final String TOPIC_CONFIG = "kprom.dead.letter.topic";
    public static final String HEADER_TOPIC = "kprom.dlq.topic";
    public static final String HEADER_REASON = "kprom.dlq.reason";
    public static final String HEADER_ERROR = "kprom.dlq.error";

    private final String topic;
    private final Producer<byte[], byte[]> producer;

    private DeadLetterTopic(String topic, Producer<byte[], byte[]> producer) {
        this.topic = topic;
        this.producer = producer;
    }

    /** A dead-letter topic when {@value #TOPIC_CONFIG} is set in {@code config}, else null. */
    public static DeadLetterTopic fromConfig(Map<String, ?> config) {
        Object name = config == null ? null : config.get(TOPIC_CONFIG);
        if (name == null || name.toString().isBlank()) {
            return null;
        }
        Map<String, Object> producerConfig = new HashMap<>();
        config.forEach((key, value) -> {
            if (ProducerConfig.configNames().contains(key)) {
                producerConfig.put(key, value);
            }
        });
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "kprom-dead-letter");
        return new DeadLetterTopic(name.toString(),
                new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer()));
    }

    public String topic() {
        return topic;
    }

    /** The dead-letter record for an undecodable value read from {@code sourceTopic}. */
    public static ProducerRecord<byte[], byte[]> record(String deadLetterTopic, String sourceTopic, byte[] key, byte[] value,
            Headers headers, DecodeErrorReason reason, Throwable error) {
        RecordHeaders out = headers == null ? new RecordHeaders() : new RecordHeaders(headers.toArray());
        out.add(HEADER_TOPIC, sourceTopic.getBytes(StandardCharsets.UTF_8));
        out.add(HEADER_REASON, reason.label().getBytes(StandardCharsets.UTF_8));
        String message = error == null || error.getMessage() == null ? "" : error.getMessage();
        out.add(HEADER_ERROR, message.getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(deadLetterTopic, null, key, value, out);
    }

    /** Sends asynchronously; a failed send is logged by the producer and does not stop the consumer. */
    public void send(String sourceTopic, Headers headers, byte[] value, DecodeErrorReason reason, Throwable error) {
        producer.send(record(topic, sourceTopic, null, value, headers, reason, error));
    }

    @Override
    public void close() {
        producer.close();
    }
}
