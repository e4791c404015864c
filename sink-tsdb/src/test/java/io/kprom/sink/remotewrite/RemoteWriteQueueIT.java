package io.kprom.sink.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kprom.common.config.HttpClientConfig;
import io.kprom.common.config.RemoteWriteConfig;
import io.kprom.common.config.TlsConfig;
import io.kprom.common.labels.Labels;
import io.kprom.common.relabel.RelabelAction;
import io.kprom.common.relabel.RelabelConfig;
import io.kprom.sink.remotewrite.kafka.RemoteWriteQueue;
import io.kprom.testsupport.KafkaBroker;
import io.kprom.testsupport.KafkaBrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Remote write from a real broker to a loopback receiver that fails for a while. */
@ExtendWith(KafkaBrokerExtension.class)
class RemoteWriteQueueIT {
    static final int SERIES = 20;
    static final int SAMPLES = 60;
    static final long START = 1_700_000_000_000L;

    @Test
    void everySampleArrivesOnceAndInOrderAfterOutage(KafkaBroker broker) throws Exception {
        String topic = "rw-outage-" + UUID.randomUUID();
        broker.createTopics(3, topic);
        RemoteWriteTestData.produce(broker, topic, SERIES, SAMPLES, START, 7);
        try (RemoteWriteReceiver receiver = new RemoteWriteReceiver()) {
            AtomicInteger calls = new AtomicInteger();
            receiver.status = () -> calls.incrementAndGet() <= 15 ? 503 : 200; // down for the first 15 calls
            RemoteWriteConfig config = RemoteWriteTestData.config(receiver.url(), "outage-" + UUID.randomUUID(),
                    RemoteWriteConfig.PROTOBUF_V1, List.of(),
                    new HttpClientConfig(new HttpClientConfig.BasicAuth("kprom", null, "s3cret", null), null,
                            TlsConfig.DEFAULT, null, true, true, Map.of()),
                    Map.of("X-Scope-OrgID", "tenant-1"));
            RemoteWriteQueue queue = new RemoteWriteQueue(config, Labels.of("cluster", "it"), topic,
                    RemoteWriteTestData.consumer(broker));
            queue.start();
            try {
                await().atMost(90, TimeUnit.SECONDS).until(() -> receiver.totalSamples() >= SERIES * SAMPLES);
                awaitCommitted(broker, queue.groupId(), topic);
            } finally {
                queue.close();
            }
            assertThat(receiver.rejected.get()).isEqualTo(15);
            assertExactlyOnceInOrder(receiver, Labels.of("cluster", "it"));
            Map<String, String> headers = receiver.acceptedHeaders.get(0);
            assertThat(headers).containsEntry("content-encoding", "snappy")
                    .containsEntry("content-type", "application/x-protobuf")
                    .containsEntry("x-prometheus-remote-write-version", "0.1.0")
                    .containsEntry("x-scope-orgid", "tenant-1")
                    .containsEntry("authorization", "Basic a3Byb206czNjcmV0");
        }
    }

    @Test
    void rw2WithRelabelAnd429RetryAfterAndRestartResumesFromCommit(KafkaBroker broker) throws Exception {
        String topic = "rw-v2-" + UUID.randomUUID();
        broker.createTopics(2, topic);
        RemoteWriteTestData.produce(broker, topic, SERIES, SAMPLES, START, 10);
        try (RemoteWriteReceiver receiver = new RemoteWriteReceiver()) {
            AtomicInteger calls = new AtomicInteger();
            receiver.retryAfter = "0";
            receiver.status = () -> calls.incrementAndGet() % 3 == 0 ? 429 : 200;
            List<RelabelConfig> relabel = List.of(
                    RelabelConfig.of(RelabelAction.DROP, List.of("instance"), "host-1[0-9]", null, null),
                    RelabelConfig.of(RelabelAction.REPLACE, List.of("job"), "(.*)", "job", "remote-$1"));
            String name = "v2-" + UUID.randomUUID();
            RemoteWriteConfig config = RemoteWriteTestData.config(receiver.url(), name, RemoteWriteConfig.PROTOBUF_V2,
                    relabel, HttpClientConfig.DEFAULT, Map.of());
            RemoteWriteQueue first = new RemoteWriteQueue(config, Labels.EMPTY, topic, RemoteWriteTestData.consumer(broker));
            first.start();
            await().atMost(60, TimeUnit.SECONDS).until(() -> receiver.totalSamples() > 0);
            first.close();
            // A new queue of the same endpoint resumes from the committed offsets; re-sent samples are ones
            // never acknowledged, so after the restart every sample is there at least once, in order.
            RemoteWriteTestData.produce(broker, topic, SERIES, SAMPLES, START + SAMPLES * 1000L, 10);
            RemoteWriteQueue second = new RemoteWriteQueue(config, Labels.EMPTY, topic, RemoteWriteTestData.consumer(broker));
            second.start();
            try {
                await().atMost(90, TimeUnit.SECONDS).until(() -> distinctSamples(receiver) >= 10 * 2 * SAMPLES);
                awaitCommitted(broker, second.groupId(), topic);
            } finally {
                second.close();
            }
            assertThat(receiver.received.keySet()).hasSize(10)
                    .allSatisfy(labels -> assertThat(labels.get("job")).isEqualTo("remote-rw"))
                    .noneMatch(labels -> labels.get("instance").matches("host-1[0-9]"));
            for (var entry : receiver.received.entrySet()) {
                List<RemoteWriteReceiver.Point> points = entry.getValue();
                int descents = 0;
                for (int i = 1; i < points.size(); i++) {
                    if (points.get(i).timestampMillis() <= points.get(i - 1).timestampMillis()) {
                        descents++; // only where the restart re-sent unacknowledged samples
                    }
                }
                assertThat(descents).as("series %s arrives in order apart from one restart", entry.getKey())
                        .isLessThanOrEqualTo(1);
                assertThat(points.stream().map(RemoteWriteReceiver.Point::timestampMillis).distinct().count())
                        .isEqualTo(2 * SAMPLES);
            }
            assertThat(receiver.acceptedHeaders.get(0))
                    .containsEntry("content-type", "application/x-protobuf;proto=io.prometheus.write.v2.Request")
                    .containsEntry("x-prometheus-remote-write-version", "2.0.0");
        }
    }

    @Test
    void clientErrorsDropAndCommit(KafkaBroker broker) throws Exception {
        String topic = "rw-400-" + UUID.randomUUID();
        broker.createTopics(1, topic);
        RemoteWriteTestData.produce(broker, topic, 3, 10, START, 10);
        try (RemoteWriteReceiver receiver = new RemoteWriteReceiver()) {
            receiver.status = () -> 400;
            String name = "bad-" + UUID.randomUUID();
            RemoteWriteConfig config = RemoteWriteTestData.config(receiver.url(), name, RemoteWriteConfig.PROTOBUF_V1,
                    List.of(), HttpClientConfig.DEFAULT, Map.of());
            RemoteWriteQueue queue = new RemoteWriteQueue(config, Labels.EMPTY, topic, RemoteWriteTestData.consumer(broker));
            queue.start();
            try {
                awaitCommitted(broker, queue.groupId(), topic);
            } finally {
                queue.close();
            }
            assertThat(receiver.received).isEmpty();
            assertThat(RemoteWriteMetrics.SAMPLES_FAILED.labelValues(name, receiver.url()).get()).isEqualTo(30);
            assertThat(RemoteWriteMetrics.SAMPLES_DROPPED.labelValues(name, receiver.url(), "non_recoverable_http_status")
                    .get()).isEqualTo(30);
        }
    }

    @Test
    void recordsDeletedByRetentionBeforeTheyWereSentAreCountedAndTheRestSent(KafkaBroker broker) throws Exception {
        String topic = "rw-retention-" + UUID.randomUUID();
        broker.createTopics(1, topic);
        TopicPartition partition = new TopicPartition(topic, 0);
        // 1 series, 60 samples, 10 per record: records 0..5.
        RemoteWriteTestData.produce(broker, topic, 1, SAMPLES, START, 10);
        try (RemoteWriteReceiver receiver = new RemoteWriteReceiver()) {
            String name = "retention-" + UUID.randomUUID();
            RemoteWriteConfig config = RemoteWriteTestData.config(receiver.url(), name, RemoteWriteConfig.PROTOBUF_V1,
                    List.of(), HttpClientConfig.DEFAULT, Map.of());
            RemoteWriteQueue queue = new RemoteWriteQueue(config, Labels.EMPTY, topic, RemoteWriteTestData.consumer(broker));
            try (Admin admin = broker.admin()) {
                // The endpoint had sent nothing yet (committed offset 0) when retention deleted records 0..2.
                admin.alterConsumerGroupOffsets(queue.groupId(),
                        Map.of(partition, new org.apache.kafka.clients.consumer.OffsetAndMetadata(0))).all().get();
                admin.deleteRecords(Map.of(partition, org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(3)))
                        .all().get();
            }
            queue.start();
            try {
                await().atMost(60, TimeUnit.SECONDS).until(() -> receiver.totalSamples() >= 30);
                awaitCommitted(broker, queue.groupId(), topic);
            } finally {
                queue.close();
            }
            assertThat(RemoteWriteMetrics.RECORDS_DROPPED.labelValues(name, receiver.url(), "retention").get()).isEqualTo(3);
            List<RemoteWriteReceiver.Point> points = receiver.received.get(RemoteWriteTestData.series(0));
            assertThat(points).hasSize(30);
            for (int k = 0; k < 30; k++) {
                assertThat(points.get(k)).isEqualTo(new RemoteWriteReceiver.Point(START + (30 + k) * 1000L, 30 + k));
            }
        }
    }

    static int distinctSamples(RemoteWriteReceiver receiver) {
        int total = 0;
        for (List<RemoteWriteReceiver.Point> points : receiver.received.values()) {
            total += (int) points.stream().map(RemoteWriteReceiver.Point::timestampMillis).distinct().count();
        }
        return total;
    }

    static void assertExactlyOnceInOrder(RemoteWriteReceiver receiver, Labels external) {
        assertThat(receiver.received).hasSize(SERIES);
        for (int s = 0; s < SERIES; s++) {
            Labels labels = RemoteWriteTestData.series(s).toBuilder().setAll(external).build();
            List<RemoteWriteReceiver.Point> points = receiver.received.get(labels);
            assertThat(points).as("series %s", labels).hasSize(SAMPLES);
            for (int k = 0; k < SAMPLES; k++) {
                assertThat(points.get(k)).isEqualTo(new RemoteWriteReceiver.Point(START + k * 1000L, k));
            }
        }
    }

    static void awaitCommitted(KafkaBroker broker, String group, String topic) {
        await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200)).until(() -> {
            try (Admin admin = broker.admin()) {
                var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
                Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
                partitions.forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
                var ends = admin.listOffsets(latest).all().get();
                var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                for (var end : ends.entrySet()) {
                    var done = committed.get(end.getKey());
                    if (end.getValue().offset() > 0 && (done == null || done.offset() < end.getValue().offset())) {
                        return false;
                    }
                }
                return true;
            }
        });
    }
}
