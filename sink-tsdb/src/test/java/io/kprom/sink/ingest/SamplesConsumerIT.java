package io.kprom.sink.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.promql.storage.Querier;
import io.kprom.promql.storage.SeriesSet;
import io.kprom.schemas.avro.Series;
import io.kprom.schemas.avro.SeriesBatch;
import io.kprom.schemas.serde.KpromSerdes;
import io.kprom.sink.storage.SeriesStore;
import io.kprom.sink.storage.SourcePartition;
import io.kprom.sink.storage.StoreOptions;
import io.kprom.testsupport.KafkaBroker;
import io.kprom.testsupport.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class SamplesConsumerIT {
    static {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.INFO);
    }

    @TempDir
    Path dir;

    @Test
    void skipsUndecodableRecordsStoresTheRestAndReportsReadiness(KafkaBroker broker) throws Exception {
        String topic = "consumer-it-" + UUID.randomUUID();
        broker.createTopics(1, topic);
        var serializer = KpromSerdes.seriesBatch(Map.of()).serializer();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, serializer.serialize(topic, batch(1000))));
            producer.send(new ProducerRecord<>(topic, new byte[] {1, 2, 3}));
            producer.send(new ProducerRecord<>(topic, serializer.serialize(topic, batch(2000))));
            producer.flush();
        }
        try (SeriesStore store = SeriesStore.open(dir, StoreOptions.builder().flushInterval(Duration.ZERO).build())) {
            SamplesConsumer consumer = SamplesConsumer.start(store, IngestOptions.builder(broker.bootstrapServers())
                    .topic(topic).groupId("consumer-it-" + UUID.randomUUID()).build());
            try {
                assertThat(consumer.caughtUp(0)).isFalse();
                await().atMost(Duration.ofSeconds(120)).until(() -> consumer.caughtUp(0));
                assertThat(consumer.stuck()).isFalse();
                assertThat(consumer.recordsSkipped()).isEqualTo(1);
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        Long.valueOf(3).equals(store.committedOffsets().get(new SourcePartition(topic, 0))));
                try (Querier querier = store.queryable().querier(0, 10_000);
                     SeriesSet set = querier.select(true, null, List.of(LabelMatcher.equal("__name__", "consumer_it")))) {
                    assertThat(set.next()).isTrue();
                    assertThat(set.samples().length()).isEqualTo(2);
                    assertThat(set.samples().timestamp(1)).isEqualTo(2000);
                }
            } finally {
                consumer.close();
            }
        }
    }

    private static SeriesBatch batch(long timestamp) {
        return SeriesBatch.newBuilder().setSeries(List.of(Series.newBuilder()
                .setLabels(List.of("__name__", "consumer_it", "job", "it"))
                .setTimestamps(List.of(timestamp)).setValues(List.of(1.0)).build())).build();
    }
}
