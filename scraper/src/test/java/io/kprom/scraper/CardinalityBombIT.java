package io.kprom.scraper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.kprom.common.kafka.TopicCatalogue;
import io.kprom.common.kafka.Topics;
import io.kprom.schemas.avro.BatchSource;
import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.serde.KpromSerdes;
import io.kprom.scraper.scrape.ScraperMetrics;
import io.kprom.testsupport.KafkaBroker;
import io.kprom.testsupport.KafkaBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One target exposing a million distinct series (~75 MB of text) next to a small one: the big scrape is
 * published whole to a topic created with the catalogue's {@code metrics.raw} settings and a consumer
 * reads all its series back, while the small target keeps being published; and with a lower batch cap
 * the same kind of scrape becomes a failed outcome counted as {@code too_large}.
 */
@Tag("slow")
@ExtendWith(KafkaBrokerExtension.class)
class CardinalityBombIT {
    private final AtomicReference<byte[]> bombBody = new AtomicReference<>();
    private final AtomicInteger smallScrapes = new AtomicInteger();
    private HttpServer targets;

    @AfterEach
    void stopTargets() {
        if (targets != null) {
            targets.stop(0);
        }
    }

    @Test
    void aMillionSeriesScrapeIsPublishedWholeWhileOtherTargetsKeepGoing(KafkaBroker broker) throws Exception {
        int series = 1_000_000;
        bombBody.set(payload(series));
        assertThat(bombBody.get().length).isBetween(60_000_000, 100_000_000);
        int port = startTargets();
        String topic = catalogueRawTopic(broker);
        Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
        // Long enough that a second million-series scrape does not start while the test reads the first.
        ScraperComponent scraper = new ScraperComponent(TestConfigs.config(config(port, 30)), kafka, kafka, Map.of(),
                ScraperComponent.Settings.DEFAULT.withSharding(false).withTopics(topic, "unused")
                        .withSyncDelay(Duration.ofMillis(100)));
        try (KafkaConsumer<String, byte[]> consumer = consumer(broker)) {
            scraper.start();
            consumer.subscribe(List.of(topic));
            Deserializer<ScrapeBatch> deserializer = KpromSerdes.scrapeBatch(Map.of()).deserializer();
            AtomicInteger smallBatches = new AtomicInteger();
            AtomicReference<ScrapeBatch> bomb = new AtomicReference<>();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ZERO).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    ScrapeBatch batch = deserializer.deserialize(topic, record.value());
                    if (batch.getSource() != BatchSource.SCRAPE) {
                        continue;
                    }
                    if (batch.getTarget().getJob().equals("bomb") && bomb.get() == null && !timedOut(batch)) {
                        bomb.set(batch);
                    } else if (batch.getTarget().getJob().equals("small") && batch.getOutcome().getOk()) {
                        smallBatches.incrementAndGet();
                    }
                }
                return bomb.get() != null && smallBatches.get() >= 3;
            });
            ScrapeBatch batch = bomb.get();
            assertThat(batch.getOutcome().getError()).isNull();
            assertThat(batch.getOutcome().getOk()).isTrue();
            assertThat(batch.getOutcome().getBodyBytes()).isEqualTo(bombBody.get().length);
            assertThat(batch.getSeries()).hasSize(series);
            assertThat(batch.getSeries().get(series - 1).getLabels()).containsExactly("__name__", "bomb_series", "code", "200",
                    "pod", "pod-0999999", "route", "/api/v1/items/999999");
            assertThat(batch.getSeries().get(series - 1).getValues()).containsExactly(999_999.5);
        } finally {
            scraper.close();
        }
    }

    @Test
    void aBatchAboveTheCapBecomesACountedFailedOutcome(KafkaBroker broker) throws Exception {
        bombBody.set(payload(60_000));
        int port = startTargets();
        String topic = catalogueRawTopic(broker);
        Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
        double droppedBefore = ScraperMetrics.BATCHES_DROPPED.labelValues("too_large").get();
        ScraperComponent scraper = new ScraperComponent(TestConfigs.config(config(port, 15)), kafka, kafka, Map.of(),
                ScraperComponent.Settings.DEFAULT.withSharding(false).withTopics(topic, "unused")
                        .withSyncDelay(Duration.ofMillis(100)).withMaxBatchBytes(1024 * 1024));
        try (KafkaConsumer<String, byte[]> consumer = consumer(broker)) {
            scraper.start();
            consumer.subscribe(List.of(topic));
            Deserializer<ScrapeBatch> deserializer = KpromSerdes.scrapeBatch(Map.of()).deserializer();
            AtomicReference<ScrapeBatch> bomb = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ZERO).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    ScrapeBatch batch = deserializer.deserialize(topic, record.value());
                    if (batch.getSource() == BatchSource.SCRAPE && batch.getTarget().getJob().equals("bomb") && !timedOut(batch)) {
                        bomb.compareAndSet(null, batch);
                    }
                }
                return bomb.get() != null;
            });
            assertThat(bomb.get().getOutcome().getOk()).isFalse();
            assertThat(bomb.get().getOutcome().getError()).startsWith("scrape batch too large: ")
                    .contains("(60000 series), above the scraper's limit of 1048576 bytes");
            assertThat(bomb.get().getSeries()).isEmpty();
            assertThat(ScraperMetrics.BATCHES_DROPPED.labelValues("too_large").get()).isGreaterThan(droppedBefore);
        } finally {
            scraper.close();
        }
    }

    /** A fetch that ran out of time on a loaded machine says nothing about batch sizes; the next scrape decides. */
    private static boolean timedOut(ScrapeBatch batch) {
        String error = batch.getOutcome().getError();
        return error != null && error.endsWith("context deadline exceeded");
    }

    /** Distinct series, about 75 bytes a line. */
    private static byte[] payload(int series) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(series * 80);
        byte[] header = "# HELP bomb_series One of very many.\n# TYPE bomb_series gauge\n".getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(header);
        StringBuilder line = new StringBuilder(128);
        for (int i = 0; i < series; i++) {
            line.setLength(0);
            line.append("bomb_series{pod=\"pod-").append(String.format("%07d", i)).append("\",route=\"/api/v1/items/")
                    .append(i).append("\",code=\"200\"} ").append(i).append(".5\n");
            for (int c = 0; c < line.length(); c++) {
                out.write(line.charAt(c));
            }
        }
        return out.toByteArray();
    }

    private int startTargets() throws Exception {
        targets = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        targets.createContext("/bomb", exchange -> {
            byte[] body = bombBody.get();
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        targets.createContext("/small", exchange -> {
            byte[] body = ("small_up " + smallScrapes.incrementAndGet() + "\n").getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        targets.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2));
        targets.start();
        return targets.getAddress().getPort();
    }

    /** The first scrape lands at a hash-derived offset within the interval, so a short interval starts sooner. */
    private static String config(int port, int bombIntervalSeconds) {
        return """
                scrape_configs:
                  - job_name: bomb
                    scrape_interval: %2$ds
                    scrape_timeout: %3$ds
                    metrics_path: /bomb
                    static_configs:
                      - targets: ['127.0.0.1:%1$d']
                  - job_name: small
                    scrape_interval: 1s
                    scrape_timeout: 1s
                    metrics_path: /small
                    static_configs:
                      - targets: ['127.0.0.1:%1$d']
                """.formatted(port, bombIntervalSeconds, bombIntervalSeconds - 1);
    }

    /** A fresh topic with metrics.raw's catalogue settings (compression, max.message.bytes). */
    private static String catalogueRawTopic(KafkaBroker broker) throws Exception {
        String topic = "raw-bomb-" + UUID.randomUUID();
        Map<String, String> configs = TopicCatalogue.defaults().topic(Topics.METRICS_RAW).configs();
        try (var admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(configs))).all().get();
        }
        return topic;
    }

    private static KafkaConsumer<String, byte[]> consumer(KafkaBroker broker) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "bomb-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20), new StringDeserializer(), new ByteArrayDeserializer());
    }
}
