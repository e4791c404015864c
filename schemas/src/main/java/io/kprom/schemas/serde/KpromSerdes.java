package io.kprom.schemas.serde;

import io.kprom.schemas.avro.AlertEvent;
import io.kprom.schemas.avro.MetricMetadata;
import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.avro.SeriesBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serdes for every kprom topic value.
 *
 * <pre>{@code
 * Serde<ScrapeBatch> serde = KpromSerdes.scrapeBatch(Map.of());
 * byte[] bytes = serde.serializer().serialize(Topics.METRICS_RAW, batch);
 * }</pre>
 *
 * With no schema registry configured, values use Avro single-object encoding ({@code C3 01},
 * 8-byte CRC-64-AVRO fingerprint, body), resolved against the bundled schemas.
 * A decoder failure throws {@link org.apache.kafka.common.errors.SerializationException}.
 */
public final class KpromSerdes {
    private KpromSerdes() {
    }

    public static Serde<ScrapeBatch> scrapeBatch(Map<String, ?> config) {
        return singleObject(ScrapeBatch.getEncoder(), ScrapeBatch.getDecoder());
    }

    public static Serde<SeriesBatch> seriesBatch(Map<String, ?> config) {
        return singleObject(SeriesBatch.getEncoder(), SeriesBatch.getDecoder());
    }

    public static Serde<MetricMetadata> metricMetadata(Map<String, ?> config) {
        return singleObject(MetricMetadata.getEncoder(), MetricMetadata.getDecoder());
    }

    public static Serde<AlertEvent> alertEvent(Map<String, ?> config) {
        return singleObject(AlertEvent.getEncoder(), AlertEvent.getDecoder());
    }

    private static <T extends SpecificRecord> Serde<T> singleObject(BinaryMessageEncoder<T> encoder,
            BinaryMessageDecoder<T> decoder) {
        Serializer<T> serializer = (topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                ByteBuffer buffer = encoder.encode(value);
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                return bytes;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        Deserializer<T> deserializer = (topic, data) -> {
            if (data == null) {
                return null;
            }
            try {
                return decoder.decode(data);
            } catch (Exception e) {
                throw new org.apache.kafka.common.errors.SerializationException(
                        "cannot decode Avro single-object record on " + topic + ": " + e.getMessage(), e);
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    static SpecificData model() {
        return SpecificData.get();
    }
}
