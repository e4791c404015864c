package io.kprom.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/** Avro binary bodies behind a fixed-size header, shared by both wire formats. */
final class AvroBodies {
    private AvroBodies() {
    }

    /** Writes {@code header} then the Avro binary encoding of {@code value}. */
    static <T> byte[] write(byte[] header, DatumWriter<T> writer, T value, int sizeHint) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, sizeHint));
        out.write(header, 0, header.length);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            writer.write(value, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new org.apache.kafka.common.errors.SerializationException("cannot encode " + value.getClass().getSimpleName()
                    + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** Writes {@code header} then {@code value}'s body with a hand-written codec (per-thread buffer). */
    static <T> byte[] write(byte[] header, BodyCodec<T> codec, T value) {
        AvroBinaryOutput out = AvroBinaryOutput.forThread();
        try {
            out.writeBytes(header);
            codec.write(value, out);
        } catch (RuntimeException e) {
            throw new org.apache.kafka.common.errors.SerializationException("cannot encode " + value.getClass().getSimpleName()
                    + ": " + e, e);
        }
        return out.toByteArray();
    }

    /** Like {@link #read(String, DatumReader, byte[], int)} with a hand-written codec for the current schema. */
    static <T> T read(String topic, BodyCodec<T> codec, byte[] data, int offset) {
        try {
            AvroBinaryInput in = new AvroBinaryInput(data, offset);
            T value = codec.read(in);
            if (!in.isEnd()) {
                throw new DecodeException(DecodeErrorReason.CORRUPT_PAYLOAD,
                        "record on " + topic + " has trailing bytes after the Avro body");
            }
            return value;
        } catch (DecodeException e) {
            throw e;
        } catch (RuntimeException | OutOfMemoryError e) {
            throw new DecodeException(DecodeErrorReason.CORRUPT_PAYLOAD,
                    "cannot read Avro body of a record on " + topic + ": " + e, e);
        }
    }

    /**
     * Reads one datum from {@code data[offset..]} and checks that it used every byte: random bytes
     * that happen to parse but leave a tail are a corrupt payload, not a value.
     */
    static <T> T read(String topic, DatumReader<T> reader, byte[] data, int offset) {
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, offset, data.length - offset, null);
            T value = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new DecodeException(DecodeErrorReason.CORRUPT_PAYLOAD,
                        "record on " + topic + " has trailing bytes after the Avro body");
            }
            return value;
        } catch (DecodeException e) {
            throw e;
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            // A corrupt length prefix can ask for a huge array; the failed allocation held no memory.
            throw new DecodeException(DecodeErrorReason.CORRUPT_PAYLOAD,
                    "cannot read Avro body of a record on " + topic + ": " + e, e);
        }
    }
}
