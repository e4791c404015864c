package io.kprom.scraper.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kprom.schemas.avro.BatchSource;
import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.avro.ScrapeOutcome;
import io.kprom.schemas.serde.KpromSerdes;
import io.kprom.scraper.scrape.ScraperMetrics;
import io.kprom.testsupport.KafkaBroker;
import io.kprom.testsupport.KafkaBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class KafkaBatchPublisherIT {

    private static ScrapeBatch batch(long timestamp) {
        return new ScrapeBatch(BatchSource.SCRAPE, null, timestamp, new ScrapeOutcome(true, null, 0.1, 10L, "text/plain"),
                new ArrayList<>(), new ArrayList<>());
    }

    @Test
    void publishesKeyedBatches(KafkaBroker broker) throws Exception {
        String topic = "publisher-" + UUID.randomUUID();
        broker.createTopics(3, topic);
        try (KafkaBatchPublisher publisher = new KafkaBatchPublisher(Map.of("bootstrap.servers", broker.bootstrapServers()),
                KpromSerdes.scrapeBatch(Map.of()).serializer(), topic, 1024 * 1024)) {
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                acks.add(publisher.publish("target-" + (i % 4), batch(i)));
            }
            CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).get();
        }
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "t-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, Integer> partitionOfKey = new java.util.HashMap<>();
        List<Long> timestamps = new ArrayList<>();
        try (KafkaConsumer<String, ScrapeBatch> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                KpromSerdes.scrapeBatch(Map.of()).deserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, ScrapeBatch> record : consumer.poll(Duration.ofMillis(200))) {
                    timestamps.add(record.value().getScrapeTimestampMillis());
                    Integer previous = partitionOfKey.put(record.key(), record.partition());
                    assertThat(previous == null || previous == record.partition()).isTrue();
                }
                return timestamps.size() >= 20;
            });
        }
        assertThat(timestamps).hasSize(20);
        assertThat(partitionOfKey).hasSize(4);
    }

    @Test
    void withKafkaUnreachableThePublisherNeverBlocksAndDropsTheOldest() throws Exception {
        Map<String, Object> unreachable = Map.of("bootstrap.servers", "127.0.0.1:1", "max.block.ms", 60_000);
        double droppedBefore = ScraperMetrics.BATCHES_DROPPED.labelValues("buffer_full").get();
        byte[] probe = KpromSerdes.scrapeBatch(Map.of()).serializer().serialize("t", batch(0));
        try (KafkaBatchPublisher publisher = new KafkaBatchPublisher(unreachable,
                KpromSerdes.scrapeBatch(Map.of()).serializer(), "nowhere", probe.length * 5L)) {
            long start = System.nanoTime();
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                futures.add(publisher.publish("k", batch(i)));
            }
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            // Blocking on the unreachable broker would take max.block.ms (60 s) per batch; publish never waits for Kafka ...
            assertThat(elapsedMillis).isLessThan(30_000);
            // ... the buffer holds at most its capacity, the oldest were dropped and counted.
            assertThat(publisher.buffered()).isLessThanOrEqualTo(5);
            assertThat(ScraperMetrics.BATCHES_DROPPED.labelValues("buffer_full").get() - droppedBefore).isGreaterThanOrEqualTo(44);
            // The sender thread may already hold the first batch (blocked on the broker); the dropped ones fail.
            assertThat(futures.stream().filter(CompletableFuture::isCompletedExceptionally).count()).isGreaterThanOrEqualTo(44);
            assertThat(futures.get(49)).isNotDone();
            assertThat(ScraperMetrics.BUFFER_BATCHES.get()).isLessThanOrEqualTo(5);
        }
    }
}
