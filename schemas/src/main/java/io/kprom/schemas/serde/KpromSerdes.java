package io.kprom.schemas.serde;

import io.kprom.schemas.avro.AlertEvent;
import io.kprom.schemas.avro.MetricMetadata;
import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.avro.SeriesBatch;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Kafka serdes for every kprom topic value.
 *
 * <pre>{@code
 * Serde<ScrapeBatch> serde = KpromSerdes.scrapeBatch(Map.of());                       // single-object encoding
 * Serde<ScrapeBatch> viaRegistry = KpromSerdes.scrapeBatch(Map.of("schema.registry.url", "http://sr:8081"));
 * byte[] bytes = serde.serializer().serialize(Topics.METRICS_RAW, batch);
 * }</pre>
 *
 * <p>The mode follows {@link SerdeConfig}: with {@code schema.registry.url} set, values are written in the
 * Confluent wire format (magic byte 0, 4-byte schema id, Avro binary), the schema registered under
 * {@code <topic>-value}; without it, Avro single-object encoding ({@code C3 01}, 8-byte CRC-64-AVRO
 * fingerprint, body). The deserializer reads both formats (the Confluent one only when a registry is
 * configured), so a topic can move between modes.
 *
 * <p>A value that cannot be decoded throws {@link DecodeException} with its {@link DecodeErrorReason};
 * wrap with {@link #skipping(Serde, Map)} (plain consumers) or configure
 * {@link CountingDeserializationExceptionHandler} (Kafka Streams) so bad records are counted and skipped.
 * Serdes are thread-safe.
 */
public final class KpromSerdes {
    private KpromSerdes() {
    }

    public static Serde<ScrapeBatch> scrapeBatch(Map<String, ?> config) {
        return forSchema(ScrapeBatch.getClassSchema(), config);
    }

    public static Serde<SeriesBatch> seriesBatch(Map<String, ?> config) {
        return forSchema(SeriesBatch.getClassSchema(), config);
    }

    public static Serde<MetricMetadata> metricMetadata(Map<String, ?> config) {
        return forSchema(MetricMetadata.getClassSchema(), config);
    }

    public static Serde<AlertEvent> alertEvent(Map<String, ?> config) {
        return forSchema(AlertEvent.getClassSchema(), config);
    }

    /**
     * The same serde with a deserializer that never throws: an undecodable value is counted in
     * {@code kprom_decode_errors_total{topic,reason}}, logged (once per reason per minute), optionally
     * copied to a dead-letter topic (see {@link SkippingDeserializer}), and returned as {@code null}.
     */
    public static <T> Serde<T> skipping(Serde<T> serde, Map<String, ?> config) {
        return org.apache.kafka.common.serialization.Serdes.serdeFrom(serde.serializer(),
                SkippingDeserializer.wrap(serde.deserializer(), config));
    }

    private static <T extends SpecificRecord> Serde<T> forSchema(Schema schema, Map<String, ?> config) {
        SerdeConfig serdeConfig = SerdeConfig.of(config);
        SingleObjectCodec<T> singleObject = new SingleObjectCodec<>(schema, BundledSchemas.writerSchemas(schema));
        ConfluentWireCodec<T> confluent = serdeConfig.registryClient()
                .map(client -> new ConfluentWireCodec<T>(schema, client, serdeConfig.autoRegister()))
                .orElse(null);
        return new KpromSerde<>(confluent != null ? confluent : singleObject, singleObject, confluent);
    }
}
