package io.kprom.processor.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kprom.processor.ProcessorComponent;
import io.kprom.processor.ProcessorOptions;
import io.kprom.processor.config.ProcessorSettings;
import io.kprom.processor.metrics.ProcessorMetrics;
import io.kprom.processor.rules.RuleEngineGroupEvaluator;
import io.kprom.promql.engine.PromqlEngine;
import io.kprom.promql.engine.QueryOptions;
import io.kprom.testsupport.KafkaBroker;
import io.kprom.testsupport.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records of the processor's inputs deleted while it was stopped (here with {@code deleteRecords}, the
 * same log-start move time retention makes, but deterministic) are counted when it starts.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RetentionLossIT {
    @TempDir
    Path dir;

    @Test
    void countsInputRecordsDeletedBeforeTheProcessorReadThem(KafkaBroker broker) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String raw = "retention-raw-" + suffix;
        String samples = "retention-samples-" + suffix;
        String applicationId = "retention-app-" + suffix;
        String series = applicationId + "-series";
        broker.createTopics(2, raw, samples, series);
        TopicPartition raw0 = new TopicPartition(raw, 0);
        TopicPartition raw1 = new TopicPartition(raw, 1);
        TopicPartition series0 = new TopicPartition(series, 0);
        produce(broker, raw0, 10);
        produce(broker, raw1, 6);
        produce(broker, series0, 5);
        try (Admin admin = broker.admin()) {
            // Where the stopped application had got to ...
            admin.alterConsumerGroupOffsets(applicationId, Map.of(raw0, new OffsetAndMetadata(2), raw1,
                    new OffsetAndMetadata(0), series0, new OffsetAndMetadata(1))).all().get(30, TimeUnit.SECONDS);
            // ... and what retention deleted meanwhile: raw-0 7 records (2 unread lost: 2..6 = 5), raw-1 4, series-0 2.
            admin.deleteRecords(Map.of(raw0, RecordsToDelete.beforeOffset(7), raw1, RecordsToDelete.beforeOffset(4),
                    series0, RecordsToDelete.beforeOffset(3))).all().get(30, TimeUnit.SECONDS);
        }
        double rawBefore = ProcessorMetrics.RETENTION_DROPPED_RECORDS.labelValues(raw).get();
        double seriesBefore = ProcessorMetrics.RETENTION_DROPPED_RECORDS.labelValues(series).get();
        double droppedBefore = ProcessorMetrics.RECORDS_DROPPED.labelValues("retention").get();

        ProcessorSettings settings = ProcessorSettings.builder()
                .topics(raw, samples, "retention-metadata-" + suffix, "unused", "unused").build();
        ProcessorComponent processor = new ProcessorComponent(settings,
                new RuleEngineGroupEvaluator(new PromqlEngine(), QueryOptions.defaults()),
                ProcessorOptions.of(broker.bootstrapServers(), applicationId, dir.toString()).withPartitions(2, 2, 1)
                        .withExtra(Map.of("num.stream.threads", 1)));
        try {
            processor.start();
            // The check runs before Streams starts, so the counts are there once start() returns.
            assertThat(ProcessorMetrics.RETENTION_DROPPED_RECORDS.labelValues(raw).get() - rawBefore).isEqualTo(5 + 4);
            assertThat(ProcessorMetrics.RETENTION_DROPPED_RECORDS.labelValues(series).get() - seriesBefore).isEqualTo(2);
            assertThat(ProcessorMetrics.RECORDS_DROPPED.labelValues("retention").get() - droppedBefore).isEqualTo(11);
            // Streams moves on from the log start (the remaining records are undecodable test bytes, counted
            // as such); a later check finds no new gap, so nothing is counted twice.
            try (Admin admin = broker.admin()) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                            .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                    return committed.get(raw0) != null && committed.get(raw0).offset() == 10
                            && committed.get(raw1) != null && committed.get(raw1).offset() == 6;
                });
            }
            assertThat(ProcessorMetrics.RECORDS_DROPPED.labelValues("retention").get() - droppedBefore).isEqualTo(11);
        } finally {
            processor.close();
        }
    }

    @Test
    void periodicChecksCountOnlyTheGivenPartitionsAndEachGapOnce(KafkaBroker broker) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String topic = "retention-monitor-" + suffix;
        String group = "retention-monitor-group-" + suffix;
        broker.createTopics(2, topic);
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        produce(broker, p0, 8);
        produce(broker, p1, 8);
        double before = ProcessorMetrics.RETENTION_DROPPED_RECORDS.labelValues(topic).get();
        try (Admin admin = broker.admin();
             RetentionMonitor monitor = new RetentionMonitor(broker.admin(), group, java.util.List.of(topic))) {
            assertThat(monitor.checkAll()).as("no committed offsets: nothing was skipped").isEmpty();
            admin.alterConsumerGroupOffsets(group, Map.of(p0, new OffsetAndMetadata(1), p1, new OffsetAndMetadata(2)))
                    .all().get(30, TimeUnit.SECONDS);
            admin.deleteRecords(Map.of(p0, RecordsToDelete.beforeOffset(4), p1, RecordsToDelete.beforeOffset(5)))
                    .all().get(30, TimeUnit.SECONDS);

            assertThat(monitor.check(p0::equals)).containsExactly(new RetentionGap(p0, 1, 4));
            assertThat(monitor.check(p0::equals)).isEmpty();
            assertThat(monitor.checkAll()).containsExactly(new RetentionGap(p1, 2, 5));
            admin.deleteRecords(Map.of(p0, RecordsToDelete.beforeOffset(6))).all().get(30, TimeUnit.SECONDS);
            assertThat(monitor.checkAll()).containsExactly(new RetentionGap(p0, 4, 6));
            assertThat(ProcessorMetrics.RETENTION_DROPPED_RECORDS.labelValues(topic).get() - before).isEqualTo(3 + 3 + 2);
        }
    }

    private static void produce(KafkaBroker broker, TopicPartition partition, int count) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), "k".getBytes(),
                        new byte[] {1, 2, 3}));
            }
            producer.flush();
        }
    }
}
