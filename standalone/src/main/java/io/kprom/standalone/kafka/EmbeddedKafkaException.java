package io.kprom.standalone.kafka;

/** The embedded Kafka broker could not be formatted, started or reached. */
public final class EmbeddedKafkaException extends RuntimeException {
    public EmbeddedKafkaException(String message, Throwable cause) {
        super(message, cause);
    }
}
