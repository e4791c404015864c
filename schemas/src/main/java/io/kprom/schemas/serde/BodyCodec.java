package io.kprom.schemas.serde;

/**
 * Hand-written Avro binary body of one record type, byte-for-byte what Avro's
 * {@code SpecificDatumWriter} writes for the current schema, without Avro's per-field reflection,
 * boxing of schema lookups and intermediate {@code Utf8} objects. Used on the hot topics
 * ({@code metrics.raw}, {@code metrics.samples}, the processor's internal topics) when the writer
 * schema is the current one; other writer schemas go through Avro's resolving reader. Thread-safe.
 */
interface BodyCodec<T> {
    void write(T value, AvroBinaryOutput out);

    T read(AvroBinaryInput in);
}
