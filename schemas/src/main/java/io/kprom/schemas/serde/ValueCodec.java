package io.kprom.schemas.serde;

/**
 * One wire format for one record type: Avro single-object encoding or the Confluent wire format.
 * Implementations are thread-safe; encoded arrays belong to the caller.
 */
interface ValueCodec<T> {
    byte[] encode(String topic, T value);

    /** Decodes a complete value. @throws DecodeException with the reason it cannot */
    T decode(String topic, byte[] data);
}
