package io.kprom.sink.remotewrite;

import io.kprom.common.config.HttpClientConfig;
import io.kprom.common.config.RemoteWriteConfig;
import io.kprom.common.labels.Labels;
import io.kprom.common.relabel.RelabelConfig;
import io.kprom.schemas.avro.Series;
import io.kprom.schemas.avro.SeriesBatch;
import io.kprom.schemas.serde.KpromSerdes;
import io.kprom.testsupport.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Produces series to a metrics.samples-like topic and builds remote_write configs for tests. */
final class RemoteWriteTestData {
    private RemoteWriteTestData() {
    }

    static Labels series(int i) {
        return Labels.of("__name__", "rw_test_metric", "job", "rw", "instance", "host-" + i);
    }

    /**
     * Produces {@code seriesCount} series with {@code samplesPerSeries} samples each, a few samples
     * per record, keyed by series so each series stays in one partition in order.
     */
    static void produce(KafkaBroker broker, String topic, int seriesCount, int samplesPerSeries, long startMillis,
            int samplesPerRecord) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        var serializer = KpromSerdes.seriesBatch(Map.of()).serializer();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (int from = 0; from < samplesPerSeries; from += samplesPerRecord) {
                for (int s = 0; s < seriesCount; s++) {
                    List<Long> timestamps = new ArrayList<>();
                    List<Double> values = new ArrayList<>();
                    for (int k = from; k < Math.min(samplesPerSeries, from + samplesPerRecord); k++) {
                        timestamps.add(startMillis + k * 1000L);
                        values.add((double) k);
                    }
                    Series series = Series.newBuilder().setLabels(new ArrayList<>(series(s).toList()))
                            .setTimestamps(timestamps).setValues(values).build();
                    SeriesBatch batch = SeriesBatch.newBuilder().setSeries(List.of(series)).build();
                    producer.send(new ProducerRecord<>(topic, ("s" + s).getBytes(), serializer.serialize(topic, batch)));
                }
            }
            producer.flush();
        }
    }

    static RemoteWriteConfig config(String url, String name, String message, List<RelabelConfig> relabel,
            HttpClientConfig http, Map<String, String> headers) {
        return new RemoteWriteConfig(url, name, Duration.ofSeconds(10), headers, relabel,
                new RemoteWriteConfig.QueueConfig(10000, 4, 1, 100, Duration.ofMillis(200), Duration.ofMillis(10),
                        Duration.ofMillis(200), true, Duration.ZERO),
                message, false, false, http);
    }

    static Map<String, Object> consumer(KafkaBroker broker) {
        return Map.of("bootstrap.servers", broker.bootstrapServers());
    }
}
