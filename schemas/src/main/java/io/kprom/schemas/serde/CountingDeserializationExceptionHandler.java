package io.kprom.schemas.serde;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Kafka Streams handler that counts an undecodable record in {@code kprom_decode_errors_total{topic,reason}},
 * logs it (once per reason per minute) and continues with the next record. With
 * {@value DeadLetterTopic#TOPIC_CONFIG} in the Streams config, the raw record also goes to that topic
 * (through Streams' own producer, so it is part of the task's transaction under exactly-once).
 *
 * <pre>{@code
 * props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, CountingDeserializationExceptionHandler.class);
 * props.put(DeadLetterTopic.TOPIC_CONFIG, "metrics.raw.dlq");   // optional
 * }</pre>
 */
public final class CountingDeserializationExceptionHandler implements DeserializationExceptionHandler {
    private String deadLetterTopic;

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(DeadLetterTopic.TOPIC_CONFIG);
        deadLetterTopic = topic == null || topic.toString().isBlank() ? null : topic.toString();
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        DecodeErrorReason reason = DecodeException.reasonOf(exception);
        DecodeErrors.record(record.topic(), reason, exception);
        if (deadLetterTopic == null) {
            return Response.resume();
        }
        return Response.resume(List.of(DeadLetterTopic.record(deadLetterTopic, record.topic(), record.key(), record.value(),
                record.headers(), reason, exception)));
    }
}
