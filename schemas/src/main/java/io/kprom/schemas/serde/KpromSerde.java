package io.kprom.schemas.serde;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Writes with one codec; reads whichever format the first byte announces. Thread-safe. */
final class KpromSerde<T> implements Serde<T> {
    private final Serializer<T> serializer;
    private final Deserializer<T> deserializer;

    KpromSerde(ValueCodec<T> writeCodec, SingleObjectCodec<T> singleObject, ConfluentWireCodec<T> confluent) {
        this.serializer = (topic, value) -> value == null ? null : writeCodec.encode(topic, value);
        this.deserializer = (topic, data) -> {
            if (data == null) {
                return null;
            }
            if (data.length > 0 && data[0] == ConfluentWireCodec.MAGIC) {
                if (confluent == null) {
                    throw new DecodeException(DecodeErrorReason.BAD_HEADER, "record on " + topic
                            + " is in Confluent wire format but no schema registry is configured (set "
                            + SerdeConfig.SCHEMA_REGISTRY_URL + ")");
                }
                return confluent.decode(topic, data);
            }
            return singleObject.decode(topic, data);
        };
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
