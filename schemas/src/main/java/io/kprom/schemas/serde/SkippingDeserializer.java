package io.kprom.schemas.serde;

import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A {@link Deserializer} that never throws: when the wrapped one fails, the record is counted in
 * {@code kprom_decode_errors_total{topic,reason}} ({@link DecodeErrors}), copied to the dead-letter
 * topic when {@value DeadLetterTopic#TOPIC_CONFIG} is configured, and {@code null} is returned, so
 * the consumer skips it and keeps polling. Consumers must treat a {@code null} value as "skip".
 *
 * <pre>{@code
 * Deserializer<ScrapeBatch> values = SkippingDeserializer.wrap(KpromSerdes.scrapeBatch(cfg).deserializer(), cfg);
 * try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), values)) {
 *     for (var record : consumer.poll(timeout)) {
 *         if (record.value() == null) continue;   // undecodable, already counted
 *         ...
 *     }
 * }
 * }</pre>
 *
 * Thread-safe when the wrapped deserializer is. {@link #close()} closes the wrapped deserializer and
 * the dead-letter producer.
 */
public final class SkippingDeserializer<T> implements Deserializer<T> {
    private final Deserializer<T> delegate;
    private final DeadLetterTopic deadLetters;

    private SkippingDeserializer(Deserializer<T> delegate, DeadLetterTopic deadLetters) {
        this.delegate = delegate;
        this.deadLetters = deadLetters;
    }

    /** Wraps {@code delegate}; {@code config} may name a dead-letter topic ({@value DeadLetterTopic#TOPIC_CONFIG}). */
    public static <T> SkippingDeserializer<T> wrap(Deserializer<T> delegate, Map<String, ?> config) {
        return new SkippingDeserializer<>(delegate, DeadLetterTopic.fromConfig(config));
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return deserialize(topic, null, data);
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
        try {
            return headers == null ? delegate.deserialize(topic, data) : delegate.deserialize(topic, headers, data);
        } catch (RuntimeException e) {
            DecodeErrorReason reason = DecodeException.reasonOf(e);
            DecodeErrors.record(topic, reason, e);
            if (deadLetters != null) {
                deadLetters.send(topic, headers, data, reason, e);
            }
            return null;
        }
    }

    @Override
    public void close() {
        delegate.close();
        if (deadLetters != null) {
            deadLetters.close();
        }
    }
}
