package io.kprom.schemas.serde;

import io.kprom.schemas.serde.registry.SchemaRegistryClient;
import io.kprom.schemas.serde.registry.SchemaRegistryException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent wire format: magic byte {@code 00}, the 4-byte big-endian schema id, then the Avro
 * binary body. Schemas are registered (or looked up) under {@code <topic>-value}
 * (TopicNameStrategy); writer schemas are fetched by id and resolved to the generated class's schema.
 */
final class ConfluentWireCodec<T> implements ValueCodec<T> {
    static final byte MAGIC = 0;
    static final int HEADER_LENGTH = 5;

    private final Schema readerSchema;
    private final SchemaRegistryClient registry;
    private final boolean autoRegister;
    private final SpecificDatumWriter<T> writer;
    private final Map<String, byte[]> headersByTopic = new ConcurrentHashMap<>();
    private final Map<Integer, DatumReader<T>> readersById = new ConcurrentHashMap<>();
    private final BodyCodec<T> fast;
    private final long readerFingerprint;
    /** Schema ids whose schema has the reader's parsing form, so the hand-written codec reads them. */
    private final Map<Integer, Boolean> currentIds = new ConcurrentHashMap<>();
    private volatile int sizeHint = 256;

    ConfluentWireCodec(Schema readerSchema, SchemaRegistryClient registry, boolean autoRegister) {
        this.readerSchema = readerSchema;
        this.registry = registry;
        this.autoRegister = autoRegister;
        this.writer = new SpecificDatumWriter<>(readerSchema);
        this.fast = FastBodies.forSchema(readerSchema);
        this.readerFingerprint = SingleObjectCodec.fingerprint(readerSchema);
    }

    static String subject(String topic) {
        return topic + "-value";
    }

    @Override
    public byte[] encode(String topic, T value) {
        byte[] header = headersByTopic.get(topic);
        if (header == null) {
            header = header(schemaId(topic));
            headersByTopic.put(topic, header);
        }
        if (fast != null) {
            return AvroBodies.write(header, fast, value);
        }
        byte[] bytes = AvroBodies.write(header, writer, value, sizeHint);
        sizeHint = bytes.length + bytes.length / 8;
        return bytes;
    }

    private int schemaId(String topic) {
        try {
            return autoRegister ? registry.register(subject(topic), readerSchema) : registry.lookup(subject(topic), readerSchema);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("cannot get a schema id for " + readerSchema.getName() + " under subject "
                    + subject(topic) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public T decode(String topic, byte[] data) {
        if (data.length < HEADER_LENGTH || data[0] != MAGIC) {
            throw new DecodeException(DecodeErrorReason.BAD_HEADER,
                    "record on " + topic + " is not in Confluent wire format (" + data.length + " bytes, expected 00 + schema id)");
        }
        int id = ((data[1] & 0xFF) << 24) | ((data[2] & 0xFF) << 16) | ((data[3] & 0xFF) << 8) | (data[4] & 0xFF);
        DatumReader<T> reader = readersById.get(id);
        if (reader == null) {
            reader = newReader(topic, id);
            readersById.put(id, reader);
        }
        if (fast != null && currentIds.containsKey(id)) {
            return AvroBodies.read(topic, fast, data, HEADER_LENGTH);
        }
        return AvroBodies.read(topic, reader, data, HEADER_LENGTH);
    }

    private DatumReader<T> newReader(String topic, int id) {
        Schema writerSchema;
        try {
            writerSchema = registry.schemaById(id);
        } catch (SchemaRegistryException e) {
            DecodeErrorReason reason = e.notFound() ? DecodeErrorReason.UNKNOWN_SCHEMA_ID : DecodeErrorReason.REGISTRY_UNAVAILABLE;
            throw new DecodeException(reason, "record on " + topic + " has schema id " + id + ": " + e.getMessage(), e);
        }
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writerSchema);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new DecodeException(DecodeErrorReason.WRONG_SCHEMA, "record on " + topic + " has schema id " + id + " ("
                    + writerSchema.getFullName() + ") that cannot be read as " + readerSchema.getFullName() + ": "
                    + compatibility.getDescription());
        }
        if (SingleObjectCodec.fingerprint(writerSchema) == readerFingerprint) {
            currentIds.put(id, Boolean.TRUE);
        }
        return new SpecificDatumReader<>(writerSchema, readerSchema);
    }

    private static byte[] header(int id) {
        return new byte[] {MAGIC, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id};
    }
}
