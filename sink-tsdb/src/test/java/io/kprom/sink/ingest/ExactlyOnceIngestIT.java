package io.kprom.sink.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.labels.Labels;
import io.kprom.promql.storage.Querier;
import io.kprom.promql.storage.SeriesSet;
import io.kprom.schemas.avro.Series;
import io.kprom.schemas.avro.SeriesBatch;
import io.kprom.schemas.serde.KpromSerdes;
import io.kprom.sink.storage.SeriesStore;
import io.kprom.sink.storage.StoreOptions;
import io.kprom.testsupport.KafkaBroker;
import io.kprom.testsupport.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sink in a child JVM is killed with SIGKILL five times at random moments while 1 000 000 samples
 * are produced; afterwards every series holds exactly the samples produced: none lost, none doubled.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ExactlyOnceIngestIT {
    private static final int SERIES = 1000;
    private static final int GROUPS = 10;
    private static final int SAMPLES_PER_RECORD = 10;
    private static final int SAMPLES_PER_SERIES = 1000;
    private static final int KILLS = 5;

    static {
        // The in-JVM broker logs at DEBUG without a logback configuration; keep the output readable.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.INFO);
    }

    @TempDir
    Path dir;

    @Test
    void sigkillFiveTimesLosesAndDoublesNothing(KafkaBroker broker) throws Exception {
        String topic = "eo-samples-" + UUID.randomUUID();
        String group = "eo-sink-" + UUID.randomUUID();
        broker.createTopics(3, topic);
        Path storeDir = dir.resolve("tsdb");
        Random random = new Random(42);
        int records = GROUPS * (SAMPLES_PER_SERIES / SAMPLES_PER_RECORD);
        Process child = startChild(storeDir, broker.bootstrapServers(), topic, group, 0);
        try (KafkaProducer<String, byte[]> producer = producer(broker.bootstrapServers())) {
            var serializer = KpromSerdes.seriesBatch(Map.of()).serializer();
            // Produce steadily in the background while the sink is killed at random moments.
            Thread production = new Thread(() -> {
                for (int sent = 0; sent < records; sent++) {
                    int groupId = sent % GROUPS;
                    int step = sent / GROUPS;
                    producer.send(new ProducerRecord<>(topic, "group-" + groupId, serializer.serialize(topic, batch(groupId, step))));
                    if (sent % 10 == 9) {
                        producer.flush();
                        sleepQuietly(300);
                    }
                }
                producer.flush();
            }, "eo-producer");
            production.start();
            int killedWhileIngesting = 0;
            for (int kill = 1; kill <= KILLS; kill++) {
                // Kill at a random moment after the sink has started storing samples.
                awaitStoring(kill - 1, production);
                Thread.sleep(random.nextInt(1500));
                String status = lastStatus(kill - 1);
                if (!status.endsWith("STORED 0") && !status.startsWith("LAG 0 ")) {
                    killedWhileIngesting++;
                }
                child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                assertThat(child.exitValue()).isEqualTo(137);
                child = startChild(storeDir, broker.bootstrapServers(), topic, group, kill);
            }
            production.join();
            // Most kills hit a sink in the middle of consuming (lag left and samples stored).
            assertThat(killedWhileIngesting).as("kills during ingestion").isGreaterThanOrEqualTo(2);
        }
        awaitDurableAtEnd(broker, topic, group);
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        try (SeriesStore store = SeriesStore.open(storeDir, StoreOptions.defaults());
             Querier querier = store.queryable().querier(0, Long.MAX_VALUE / 2);
             SeriesSet set = querier.select(false, null, List.of(
                     io.kprom.common.labels.LabelMatcher.equal("__name__", "eo_test_total")))) {
            long total = 0;
            int seriesSeen = 0;
            while (set.next()) {
                seriesSeen++;
                assertThat(set.samples().length()).as("samples of %s", set.labels()).isEqualTo(SAMPLES_PER_SERIES);
                for (int i = 0; i < set.samples().length(); i++) {
                    assertThat(set.samples().timestamp(i)).isEqualTo(1_000_000L + i * 15_000L);
                }
                total += set.samples().length();
            }
            assertThat(seriesSeen).isEqualTo(SERIES);
            assertThat(total).isEqualTo(1_000_000L);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static SeriesBatch batch(int group, int step) {
        List<Series> series = new ArrayList<>();
        for (int s = 0; s < SERIES / GROUPS; s++) {
            Labels labels = Labels.of("__name__", "eo_test_total", "group", "g" + group, "series", "s" + s);
            List<Long> timestamps = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (int i = 0; i < SAMPLES_PER_RECORD; i++) {
                int index = step * SAMPLES_PER_RECORD + i;
                timestamps.add(1_000_000L + index * 15_000L);
                values.add((double) index);
            }
            List<String> labelList = new ArrayList<>(labels.toList());
            series.add(Series.newBuilder().setLabels(labelList).setTimestamps(timestamps).setValues(values).build());
        }
        return SeriesBatch.newBuilder().setSeries(series).build();
    }

    /** Waits until the offsets the sink stored with its data (mirrored to the group) reach the log end. */
    private static void awaitDurableAtEnd(KafkaBroker broker, String topic, String group) throws Exception {
        try (Admin admin = broker.admin()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < 3; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                boolean done = ends.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                        && committed.get(e.getKey()).offset() == e.getValue());
                if (done) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("sink did not catch up: ends " + ends + ", durable " + committed);
                }
                Thread.sleep(250);
            }
        }
    }

    /** Waits until the child stores samples (or, once production is over, has nothing left to read). */
    private void awaitStoring(int run, Thread production) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (lastStatus(run).isEmpty() || lastStatus(run).endsWith("STORED 0")) {
            if (!production.isAlive() && lastStatus(run).startsWith("LAG 0 ")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("sink child " + run + " stored nothing: " + lastStatus(run));
            }
            Thread.sleep(100);
        }
    }

    /** The child's last {@code LAG n STORED m} line, or "". */
    private String lastStatus(int run) throws Exception {
        String last = "";
        for (String line : Files.readAllLines(dir.resolve("child-" + run + ".log"))) {
            if (line.startsWith("LAG ")) {
                last = line;
            }
        }
        return last;
    }

    private Process startChild(Path storeDir, String bootstrap, String topic, String group, int run) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("child-" + run + ".log");
        Process process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                SinkChildMain.class.getName(), storeDir.toString(), bootstrap, topic, group)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!Files.exists(log) || !Files.readString(log).contains("STARTED")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("sink child did not start:\n" + (Files.exists(log) ? Files.readString(log) : ""));
            }
            Thread.sleep(100);
        }
        return process;
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }
}
