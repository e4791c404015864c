package io.kprom.processor.series;

import io.kprom.schemas.avro.SeriesBatch;
import java.util.ArrayList;
import java.util.Arrays;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A {@link SeriesBatch} serde that does not re-encode a batch forwarded unchanged: its deserializer
 * returns batches that keep their input bytes ({@link DecodedSeriesBatch}), and its serializer
 * returns those bytes for such a batch instead of encoding it again. The series stage forwards
 * most input records as they are, so this saves one encode per sample.
 *
 * <p>Bytes are kept only when their header is exactly what the wrapped serializer writes (Avro
 * single-object marker and the current schema's fingerprint), so the output is what re-encoding
 * would give for any input written by kprom's own serializer, and never carries a header that
 * depends on the input topic (the Confluent wire format's schema id) or an older writer schema.
 * The bytes are referenced, not copied: Kafka does not modify a record's value array.
 * Thread-safe when the wrapped serde is.
 */
public final class PassThroughSeriesSerde implements Serde<SeriesBatch> {
    private final Serde<SeriesBatch> delegate;
    private final byte[] header;
    private final Serializer<SeriesBatch> serializer;
    private final Deserializer<SeriesBatch> deserializer;

    /**
     * @param delegate the serde that decodes input and encodes every batch not decoded here
     * @param headerLength how many leading bytes identify the wire format and schema (10 for Avro single-object encoding)
     */
    public PassThroughSeriesSerde(Serde<SeriesBatch> delegate, int headerLength) {
        this.delegate = delegate;
        byte[] empty = delegate.serializer().serialize("", new SeriesBatch(new ArrayList<>()));
        this.header = Arrays.copyOf(empty, Math.min(headerLength, empty.length));
        this.serializer = new PassThroughSerializer();
        this.deserializer = new KeepingDeserializer();
    }

    @Override
    public Serializer<SeriesBatch> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<SeriesBatch> deserializer() {
        return deserializer;
    }

    private boolean hasWriterHeader(byte[] data) {
        return data.length >= header.length && Arrays.equals(data, 0, header.length, header, 0, header.length);
    }

    private final class PassThroughSerializer implements Serializer<SeriesBatch> {
        @Override
        public byte[] serialize(String topic, SeriesBatch value) {
            if (value instanceof DecodedSeriesBatch decoded && decoded.encoded() != null) {
                return decoded.encoded();
            }
            return delegate.serializer().serialize(topic, value);
        }

        @Override
        public byte[] serialize(String topic, Headers headers, SeriesBatch value) {
            if (value instanceof DecodedSeriesBatch decoded && decoded.encoded() != null) {
                return decoded.encoded();
            }
            return delegate.serializer().serialize(topic, headers, value);
        }
    }

    private final class KeepingDeserializer implements Deserializer<SeriesBatch> {
        @Override
        public SeriesBatch deserialize(String topic, byte[] data) {
            return keep(delegate.deserializer().deserialize(topic, data), data);
        }

        @Override
        public SeriesBatch deserialize(String topic, Headers headers, byte[] data) {
            return keep(delegate.deserializer().deserialize(topic, headers, data), data);
        }

        private SeriesBatch keep(SeriesBatch value, byte[] data) {
            if (value == null || !hasWriterHeader(data)) {
                return value;
            }
            return new DecodedSeriesBatch(value.getSeries(), data);
        }
    }
}
