package io.kprom.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.labels.Labels;
import io.kprom.processor.config.ProcessorSettings;
import io.kprom.processor.failover.FailoverDiagnostics;
import io.kprom.processor.rules.RuleEngineGroupEvaluator;
import io.kprom.promql.engine.PromqlEngine;
import io.kprom.promql.engine.QueryOptions;
import io.kprom.schemas.avro.RawSeries;
import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.avro.ScrapeTarget;
import io.kprom.schemas.avro.Series;
import io.kprom.schemas.avro.SeriesBatch;
import io.kprom.schemas.serde.KpromSerdes;
import io.kprom.testsupport.KafkaBroker;
import io.kprom.testsupport.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processor instances (one in a child JVM, one here) share the partitions of a stream of
 * 100 000 scraped samples from 200 targets; the child is killed with SIGKILL while it owns tasks and
 * has work in flight. A read_committed consumer of {@code metrics.samples} must then see every
 * expected output sample (10 scraped + 5 report series per target and scrape, 150 000 in all)
 * exactly once: nothing lost, nothing doubled.
 *
 * <p>Every input record is acknowledged by the broker before the processors' output is judged (an
 * earlier version of this test did not check its own sends, so input the broker never took showed up
 * as "lost" output); on a timeout the failure message says where the data stopped (input lag,
 * open transactions, last stable offsets, missing samples).
 *
 * <p>Expected timing after the kill: the group notices the dead member after the 10 s session timeout and
 * gives its tasks to the survivor; the dead instance's open transaction holds the last stable offset of
 * the partitions it wrote (read_committed readers, the survivor's series stage among them, wait) until
 * the transaction coordinator aborts it, {@link ProcessorComponent#TRANSACTION_TIMEOUT_MS} after it
 * began (the test broker checks every second). So output resumes at most ~40 s after the kill.
 *
 * <p>Scrape times (and so Kafka record timestamps) end at the test's start. An earlier version used
 * fixed timestamps eleven months old; the broker's time retention then deleted input, internal and
 * output records in the middle of the test (its first pass runs ~30 s after the broker starts), which
 * showed up as taken-over partitions that never advanced and as missing output. The test now fails
 * with an explicit message if the broker deleted any record of its topics.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Tag("slow")
class ProcessorFailoverIT {
    private static final int TARGETS = 200;
    private static final int SCRAPES = 50;
    private static final int SERIES_PER_SCRAPE = 10;
    private static final String[] REPORT_SERIES = {"up", "scrape_duration_seconds", "scrape_samples_scraped",
            "scrape_samples_post_metric_relabeling", "scrape_series_added"};
    private static final long INTERVAL_MS = 15_000L;
    private static final int PARTITIONS = 4;

    @TempDir
    Path tempDir;

    static ProcessorSettings settings(String raw, String samples, String metadata) {
        return ProcessorSettings.builder().targetExpiry(10_000, Duration.ofMinutes(1))
                .topics(raw, samples, metadata, "unused-series", "unused-rule-input").build();
    }

    /**
     * The options both instances run with: kprom's production Streams settings (exactly-once v2, 30 s
     * transaction timeout), one standby replica, one stream thread each, plus a short group session so
     * the survivor notices the killed instance within 10 s rather than the 45 s default.
     */
    static ProcessorOptions options(String bootstrap, String applicationId, String stateDir) {
        Map<String, Object> extra = new HashMap<>();
        extra.put("consumer.session.timeout.ms", 10_000);
        extra.put("consumer.heartbeat.interval.ms", 2000);
        extra.put("num.stream.threads", 1);
        return ProcessorOptions.of(bootstrap, applicationId, stateDir).withPartitions(PARTITIONS, PARTITIONS, 1)
                .withStandbyReplicas(1).withExtra(extra);
    }

    @Test
    void killingOneInstanceLosesAndDuplicatesNothing(KafkaBroker broker) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String raw = "it-raw-" + suffix;
        String samples = "it-samples-" + suffix;
        String metadata = "it-metadata-" + suffix;
        String applicationId = "it-processor-" + suffix;
        broker.createTopics(PARTITIONS, raw, samples);
        // Scrape times end now, as a live scraper's would. Kafka's time retention judges records by these
        // timestamps: with fixed dates months in the past (as this test once used) the broker's first retention
        // pass, ~30 s after it starts, deletes the input, internal and output records mid-test (7-day topic
        // default, 1 day for <application.id>-series), which looked like a stalled or lossy fail-over.
        long t0 = System.currentTimeMillis() / INTERVAL_MS * INTERVAL_MS - SCRAPES * INTERVAL_MS;
        Set<String> expected = expectedKeys(t0);
        Map<String, Integer> seen = new HashMap<>();
        FailoverDiagnostics diagnostics = new FailoverDiagnostics(broker, applicationId, raw, samples);
        // Kept after the test (failsafe's java.io.tmpdir is the module's build directory) for post-mortems.
        Path childLog = Path.of(System.getProperty("java.io.tmpdir"), "failover-child-" + suffix + ".log");
        FailoverDiagnostics.Await explained = diagnostics.explainingAwait(expected, seen, childLog);

        Process child = startChild(broker.bootstrapServers(), applicationId, raw, samples, metadata, childLog);
        ProcessorComponent local = new ProcessorComponent(settings(raw, samples, metadata),
                new RuleEngineGroupEvaluator(new PromqlEngine(), QueryOptions.defaults()),
                options(broker.bootstrapServers(), applicationId, tempDir.resolve("local").toString()));
        try (KafkaProducer<String, ScrapeBatch> producer = producer(broker);
                KafkaConsumer<String, SeriesBatch> reader = reader(broker, samples)) {
            local.start();
            // Both instances must own active tasks, or "killing one" would test nothing.
            explained.await("both instances own input partitions", Duration.ofSeconds(90), () -> {
                long owned = localRawPartitions(local.streams(), raw);
                return local.streams().state() == KafkaStreams.State.RUNNING && owned > 0 && owned < PARTITIONS;
            });

            produce(producer, raw, t0, 0, SCRAPES / 2);
            // Kill the child while it still has most of its work in flight: as soon as output appears.
            explained.await("first output", Duration.ofSeconds(120), () -> {
                poll(reader, seen);
                return !seen.isEmpty();
            });
            System.out.println("failover IT: killing the child processor (SIGKILL)");
            child.destroyForcibly(); // SIGKILL: no commit, no close, open transactions left behind
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child exited").isTrue();
            long outputAtKill = seen.size();
            produce(producer, raw, t0, SCRAPES / 2, SCRAPES);

            explained.await("all expected output", Duration.ofSeconds(120), () -> {
                poll(reader, seen);
                return seen.size() >= expected.size();
            });
            // Every input record is processed and committed: anything more (a duplicate) is in the topic
            // now, below the last stable offset; read up to it.
            explained.await("input fully consumed", Duration.ofSeconds(60), diagnostics::inputFullyCommitted);
            Map<TopicPartition, Long> end = reader.endOffsets(reader.assignment());
            explained.await("output read to its end", Duration.ofSeconds(30), () -> {
                poll(reader, seen);
                return end.entrySet().stream().allMatch(e -> reader.position(e.getKey()) >= e.getValue());
            });

            // Anything the broker deleted was never processed or never read: say so rather than report "lost".
            assertThat(diagnostics.deletedRecords()).as("records deleted by the broker (retention) before the test ended")
                    .isEmpty();
            assertThat(outputAtKill).as("output before the kill").isPositive().isLessThan(expected.size());
            Set<String> missing = new HashSet<>(expected);
            missing.removeAll(seen.keySet());
            Set<String> unexpected = new HashSet<>(seen.keySet());
            unexpected.removeAll(expected);
            Map<String, Integer> duplicated = new HashMap<>();
            seen.forEach((key, times) -> {
                if (times != 1) {
                    duplicated.put(key, times);
                }
            });
            assertThat(missing).as("lost samples").isEmpty();
            assertThat(unexpected).as("samples nobody asked for").isEmpty();
            assertThat(duplicated).as("duplicated samples").isEmpty();
            assertThat(seen).hasSize(TARGETS * SCRAPES * (SERIES_PER_SCRAPE + REPORT_SERIES.length));
            explained.await("survivor ready", Duration.ofSeconds(30), local::ready);
            // Kafka Streams' own metrics are bridged into the default registry (served at /metrics).
            Set<String> names = new HashSet<>();
            io.prometheus.metrics.model.registry.PrometheusRegistry.defaultRegistry.scrape()
                    .forEach(snapshot -> names.add(snapshot.getMetadata().getPrometheusName()));
            assertThat(names).contains("kprom_processor_streams_state", "kafka_streams_stream_thread_process_rate",
                    "kprom_processor_active_series");
        } finally {
            child.destroyForcibly();
            local.close(Duration.ofSeconds(30));
        }
    }

    /** Partitions of the raw topic this instance processes (the rest belong to the other instance). */
    private static long localRawPartitions(KafkaStreams streams, String raw) {
        return streams.metadataForLocalThreads().stream()
                .flatMap(thread -> thread.activeTasks().stream())
                .flatMap(task -> task.topicPartitions().stream())
                .filter(partition -> partition.topic().equals(raw))
                .count();
    }

    /** "labels@timestamp" of every sample the two processors must write, each exactly once. */
    private static Set<String> expectedKeys(long t0) {
        Set<String> keys = new HashSet<>();
        for (int scrape = 0; scrape < SCRAPES; scrape++) {
            long timestamp = t0 + scrape * INTERVAL_MS;
            for (int t = 0; t < TARGETS; t++) {
                String job = "job" + (t % 5);
                String instance = instance(t);
                for (int s = 0; s < SERIES_PER_SCRAPE; s++) {
                    keys.add(Labels.of("__name__", "it_metric_" + s, "instance", instance, "job", job, "kind", "k" + (s % 3))
                            + "@" + timestamp);
                }
                for (String name : REPORT_SERIES) {
                    keys.add(Labels.of("__name__", name, "instance", instance, "job", job) + "@" + timestamp);
                }
            }
        }
        return keys;
    }

    private static String instance(int target) {
        return "host-" + target + ":9100";
    }

    private Process startChild(String bootstrap, String applicationId, String raw, String samples, String metadata,
            Path log) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path")));
        // A logging configuration given to the test JVM (-Dlogback.configurationFile=...) applies to the child too.
        String logging = System.getProperty("logback.configurationFile");
        if (logging != null) {
            command.add("-Dlogback.configurationFile=" + logging);
        }
        command.addAll(List.of(ProcessorChildMain.class.getName(),
                bootstrap, applicationId, tempDir.resolve("child").toString(), raw, samples, metadata));
        Files.createDirectories(tempDir);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Sends scrapes [from, to) of every target and waits until the broker acknowledged each one. */
    private static void produce(KafkaProducer<String, ScrapeBatch> producer, String topic, long t0, int fromScrape,
            int toScrape) {
        ConcurrentLinkedQueue<Exception> failures = new ConcurrentLinkedQueue<>();
        for (int scrape = fromScrape; scrape < toScrape; scrape++) {
            long timestamp = t0 + scrape * INTERVAL_MS;
            for (int t = 0; t < TARGETS; t++) {
                ScrapeTarget target = TopologyFixture.target("job" + (t % 5), instance(t));
                List<RawSeries> series = new ArrayList<>();
                for (int s = 0; s < SERIES_PER_SCRAPE; s++) {
                    series.add(TopologyFixture.series(scrape * 10 + s, "__name__", "it_metric_" + s, "kind", "k" + (s % 3)));
                }
                producer.send(new ProducerRecord<>(topic, null, timestamp, TopologyFixture.key(target),
                        TopologyFixture.scrape(target, timestamp, series)), (metadata, exception) -> {
                            if (exception != null) {
                                failures.add(exception);
                            }
                        });
            }
        }
        producer.flush();
        assertThat(failures).as("input records the broker did not take").isEmpty();
    }

    private static void poll(KafkaConsumer<String, SeriesBatch> consumer, Map<String, Integer> seen) {
        for (ConsumerRecord<String, SeriesBatch> record : consumer.poll(Duration.ofMillis(200))) {
            for (Series series : record.value().getSeries()) {
                String labels = Labels.fromList(series.getLabels()).toString();
                for (long timestamp : series.getTimestamps()) {
                    seen.merge(labels + "@" + timestamp, 1, Integer::sum);
                }
            }
        }
    }

    private static KafkaProducer<String, ScrapeBatch> producer(KafkaBroker broker) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // A loaded CI machine may take long to answer; a send must not expire before the test's own timeouts.
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 60_000);
        return new KafkaProducer<>(props, new StringSerializer(), KpromSerdes.scrapeBatch(Map.of()).serializer());
    }

    private static KafkaConsumer<String, SeriesBatch> reader(KafkaBroker broker, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, SeriesBatch> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                KpromSerdes.seriesBatch(Map.of()).deserializer());
        // Manual assignment: no group, so no rebalance can pause or rewind the reader.
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}
