package io.kprom.scraper.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kprom.schemas.avro.BatchSource;
import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.avro.ScrapeOutcome;
import io.kprom.schemas.serde.KpromSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Retry order of {@link KafkaBatchPublisher} against Kafka's own producer fake, whose sends the test fails or completes. */
class KafkaBatchPublisherTest {
    private static final String TOPIC = "metrics.raw";
    private static final long MIB = 1024 * 1024;

    private static ScrapeBatch batch(long timestamp) {
        return new ScrapeBatch(BatchSource.SCRAPE, null, timestamp, new ScrapeOutcome(true, null, 0.1, 10L, "text/plain"),
                new ArrayList<>(), new ArrayList<>());
    }

    /** A producer fake whose send of a record keyed {@code "gate"} waits until {@link #open} is released. */
    private static final class GatedProducer extends MockProducer<String, byte[]> {
        final CountDownLatch open = new CountDownLatch(1);
        final CountDownLatch gateReached = new CountDownLatch(1);

        GatedProducer() {
            super(cluster(), false, null, new StringSerializer(), new ByteArraySerializer());
        }

        private static Cluster cluster() {
            Node node = new Node(0, "localhost", 9092);
            return new Cluster("test", List.of(node), List.of(new PartitionInfo(TOPIC, 0, node, new Node[] {node},
                    new Node[] {node})), java.util.Set.of(), java.util.Set.of());
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
            if ("gate".equals(record.key())) {
                gateReached.countDown();
                try {
                    open.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.send(record, callback);
        }
    }

    @Test
    void sendsFailingTogetherAreRetriedOldestFirst() throws Exception {
        GatedProducer producer = new GatedProducer();
        Deserializer<ScrapeBatch> deserializer = KpromSerdes.scrapeBatch(Map.of()).deserializer();
        try (KafkaBatchPublisher publisher = new KafkaBatchPublisher(producer, KpromSerdes.scrapeBatch(Map.of()).serializer(),
                TOPIC, 64 * MIB, MIB)) {
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                acks.add(publisher.publish("target", batch(i)));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 5);
            // Hold the sender inside a send, so every failure below is queued before it picks the next batch.
            CompletableFuture<Void> gate = publisher.publish("gate", batch(100));
            assertThat(producer.gateReached.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 5; i++) {
                assertThat(producer.errorNext(new TimeoutException("expired in the accumulator"))).isTrue();
            }
            assertThat(publisher.buffered()).isEqualTo(5);
            producer.open.countDown();

            await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 11);
            List<Long> retried = new ArrayList<>();
            for (ProducerRecord<String, byte[]> record : producer.history().subList(6, 11)) {
                assertThat(record.key()).isEqualTo("target");
                retried.add(deserializer.deserialize(TOPIC, record.value()).getScrapeTimestampMillis());
            }
            assertThat(retried).as("scrape times of the retried batches, in send order").containsExactly(1L, 2L, 3L, 4L, 5L);

            while (producer.completeNext()) {
                // acknowledge the gate batch and every retried one
            }
            CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).get(10, TimeUnit.SECONDS);
            assertThat(gate).isCompleted();
            assertThat(acks).allMatch(ack -> ack.isDone() && !ack.isCompletedExceptionally());
        }
    }
}
