package io.kprom.schemas.serde;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Avro single-object encoding (Avro specification, "Single-object encoding"): {@code C3 01}, the
 * 8-byte little-endian CRC-64-AVRO fingerprint of the writer schema, then the Avro binary body.
 * Writes with the current schema; reads any bundled schema version (current or released) whose
 * fingerprint matches, resolving it to the current schema.
 */
final class SingleObjectCodec<T> implements ValueCodec<T> {
    static final byte MARKER_0 = (byte) 0xC3;
    static final byte MARKER_1 = (byte) 0x01;
    static final int HEADER_LENGTH = 10;

    private final byte[] header;
    private final SpecificDatumWriter<T> writer;
    private final Map<Long, DatumReader<T>> readers = new HashMap<>();
    private final BodyCodec<T> fast;
    private final long currentFingerprint;
    private volatile int sizeHint = 256;

    /**
     * @param readerSchema the generated class's schema (what values decode to)
     * @param writerSchemas every schema version that may have written a record (must include the reader schema)
     */
    SingleObjectCodec(Schema readerSchema, List<Schema> writerSchemas) {
        this.currentFingerprint = fingerprint(readerSchema);
        this.header = header(currentFingerprint);
        this.fast = FastBodies.forSchema(readerSchema);
        this.writer = new SpecificDatumWriter<>(readerSchema);
        for (Schema writerSchema : writerSchemas) {
            readers.put(fingerprint(writerSchema), new SpecificDatumReader<>(writerSchema, readerSchema));
        }
        readers.put(fingerprint(readerSchema), new SpecificDatumReader<>(readerSchema));
    }

    static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    @Override
    public byte[] encode(String topic, T value) {
        if (fast != null) {
            return AvroBodies.write(header, fast, value);
        }
        byte[] bytes = AvroBodies.write(header, writer, value, sizeHint);
        sizeHint = bytes.length + bytes.length / 8;
        return bytes;
    }

    @Override
    public T decode(String topic, byte[] data) {
        if (data.length < HEADER_LENGTH || data[0] != MARKER_0 || data[1] != MARKER_1) {
            throw new DecodeException(DecodeErrorReason.BAD_HEADER,
                    "record on " + topic + " is not Avro single-object encoded (" + data.length + " bytes, expected C3 01 + fingerprint)");
        }
        long fingerprint = 0;
        for (int i = 9; i >= 2; i--) {
            fingerprint = (fingerprint << 8) | (data[i] & 0xFF);
        }
        if (fast != null && fingerprint == currentFingerprint) {
            return AvroBodies.read(topic, fast, data, HEADER_LENGTH);
        }
        DatumReader<T> reader = readers.get(fingerprint);
        if (reader == null) {
            throw new DecodeException(DecodeErrorReason.UNKNOWN_FINGERPRINT,
                    "record on " + topic + " was written with an unknown schema (fingerprint " + Long.toHexString(fingerprint) + ")");
        }
        return AvroBodies.read(topic, reader, data, HEADER_LENGTH);
    }

    private static byte[] header(long fingerprint) {
        byte[] header = new byte[HEADER_LENGTH];
        header[0] = MARKER_0;
        header[1] = MARKER_1;
        for (int i = 0; i < 8; i++) {
            header[2 + i] = (byte) (fingerprint >>> (8 * i));
        }
        return header;
    }
}
