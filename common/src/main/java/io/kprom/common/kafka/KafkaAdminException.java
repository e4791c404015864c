package io.kprom.common.kafka;

/** Kafka could not be reached, or refused an admin operation kprom needs at start-up. */
public final class KafkaAdminException extends RuntimeException {
    public KafkaAdminException(String message, Throwable cause) {
        super(message, cause);
    }
}
