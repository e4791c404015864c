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
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records of {@code metrics.samples} deleted while the sink was stopped (here with {@code deleteRecords}, the
 * same log-start move time retention makes, but deterministic) are counted when it starts, and counted once.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SamplesRetentionIT {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @EnumSource(IngestOptions.Assignment.class)
    void countsRecordsDeletedBeforeTheSinkReadThemAndResumesAtTheLogStart(IngestOptions.Assignment assignment,
            KafkaBroker broker) throws Exception {
        String topic = "retention-samples-" + UUID.randomUUID();
        broker.createTopics(1, topic);
        SourcePartition source = new SourcePartition(topic, 0);
        produce(broker, topic, 6);   // offsets 0..5, sample timestamps 1000..6000
        double before = IngestMetrics.RECORDS_DROPPED.labelValues("retention").get();
        IngestOptions options = IngestOptions.builder(broker.bootstrapServers()).topic(topic)
                .groupId("retention-it-" + UUID.randomUUID()).assignment(assignment).build();
        StoreOptions storeOptions = StoreOptions.builder().flushInterval(Duration.ZERO).build();
        try (SeriesStore store = SeriesStore.open(dir, storeOptions)) {
            // The sink had stored offsets 0 and 1 when it stopped ...
            store.appender().commit(Map.of(source, 2L));
        }
        try (Admin admin = broker.admin()) {
            // ... and retention deleted offsets 0..4 meanwhile: 2, 3 and 4 were never read.
            admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(5)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        try (SeriesStore store = SeriesStore.open(dir, storeOptions)) {
            SamplesConsumer consumer = SamplesConsumer.start(store, options);
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> consumer.caughtUp(0)
                        && Long.valueOf(6).equals(store.committedOffsets().get(source)));
                assertThat(consumer.recordsLostToRetention()).isEqualTo(3);
                assertThat(IngestMetrics.RECORDS_DROPPED.labelValues("retention").get() - before).isEqualTo(3);
                assertThat(consumer.recordsSkipped()).isZero();
                try (Querier querier = store.queryable().querier(0, 10_000);
                     SeriesSet set = querier.select(true, null, List.of(LabelMatcher.equal("__name__", "retention_it")))) {
                    assertThat(set.next()).isTrue();
                    assertThat(set.samples().length()).isEqualTo(1);
                    assertThat(set.samples().timestamp(0)).isEqualTo(6000);
                }
            } finally {
                consumer.close();
            }
        }
        // A restart resumes behind the gap: nothing is counted twice.
        try (SeriesStore store = SeriesStore.open(dir, storeOptions)) {
            SamplesConsumer consumer = SamplesConsumer.start(store, options);
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> consumer.caughtUp(0));
                assertThat(consumer.recordsLostToRetention()).isZero();
                assertThat(IngestMetrics.RECORDS_DROPPED.labelValues("retention").get() - before).isEqualTo(3);
            } finally {
                consumer.close();
            }
        }
    }

    private static void produce(KafkaBroker broker, String topic, int count) {
        var serializer = KpromSerdes.seriesBatch(Map.of()).serializer();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 1; i <= count; i++) {
                producer.send(new ProducerRecord<>(topic, serializer.serialize(topic, batch(i * 1000L))));
            }
            producer.flush();
        }
    }

    private static SeriesBatch batch(long timestamp) {
        return SeriesBatch.newBuilder().setSeries(List.of(Series.newBuilder()
                .setLabels(List.of("__name__", "retention_it", "job", "it"))
                .setTimestamps(List.of(timestamp)).setValues(List.of(1.0)).build())).build();
    }
}
