package io.kprom.standalone.fault.outage;

import io.kprom.common.kafka.Topics;
import io.kprom.schemas.avro.RawSeries;
import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.avro.Series;
import io.kprom.schemas.avro.SeriesBatch;
import io.kprom.schemas.serde.KpromSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Failure diagnostics for the outage tests: what {@code metrics.raw} and {@code metrics.samples} hold for one metric,
 * record by record (partition, offset, scrape time, values), read both committed-only and with aborted transactions,
 * so a missing sample can be placed at the stage that lost it. Each call opens and closes its own consumer.
 */
public final class TopicDump {
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration LIMIT = Duration.ofSeconds(15);

    private final String bootstrapServers;

    public TopicDump(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * One line per {@code metrics.raw} record of scrape job {@code job} (failed scrapes included): partition, offset,
     * scrape time, outcome and the values of {@code metric}.
     */
    public List<String> rawScrapes(String job, String metric, boolean committedOnly) {
        Deserializer<ScrapeBatch> deserializer = KpromSerdes.scrapeBatch(Map.of()).deserializer();
        List<String> lines = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : readAll(Topics.METRICS_RAW, committedOnly)) {
            ScrapeBatch batch = deserializer.deserialize(record.topic(), record.value());
            List<Double> values = new ArrayList<>();
            for (RawSeries series : batch.getSeries()) {
                if (series.getLabels().contains(metric)) {
                    values.addAll(series.getValues());
                }
            }
            if (!values.isEmpty() || (batch.getTarget() != null && batch.getTarget().getJob().equals(job))) {
                lines.add("raw p" + record.partition() + "@" + record.offset() + " t=" + batch.getScrapeTimestampMillis()
                        + " ok=" + batch.getOutcome().getOk() + " " + metric + "=" + values);
            }
        }
        return lines;
    }

    /** One line per series of {@code metrics.samples} whose labels contain {@code labelValue}: partition, offset, samples. */
    public List<String> seriesSamples(String labelValue, boolean committedOnly) {
        Deserializer<SeriesBatch> deserializer = KpromSerdes.seriesBatch(Map.of()).deserializer();
        List<String> lines = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : readAll(Topics.METRICS_SAMPLES, committedOnly)) {
            SeriesBatch batch = deserializer.deserialize(record.topic(), record.value());
            for (Series series : batch.getSeries()) {
                if (series.getLabels().contains(labelValue)) {
                    lines.add("samples p" + record.partition() + "@" + record.offset() + " " + series.getLabels()
                            + " t=" + series.getTimestamps() + " v=" + series.getValues());
                }
            }
        }
        return lines;
    }

    /**
     * The timestamps of every sample of the series whose labels are exactly {@code labels} (alternating name, value,
     * sorted) in {@code metrics.samples}, per partition in offset order: the order the sink ingests them.
     */
    public Map<Integer, List<Long>> seriesTimestamps(List<String> labels, boolean committedOnly) {
        Deserializer<SeriesBatch> deserializer = KpromSerdes.seriesBatch(Map.of()).deserializer();
        Map<Integer, List<Long>> timestamps = new java.util.TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record : readAll(Topics.METRICS_SAMPLES, committedOnly)) {
            for (Series series : deserializer.deserialize(record.topic(), record.value()).getSeries()) {
                if (series.getLabels().equals(labels)) {
                    timestamps.computeIfAbsent(record.partition(), p -> new ArrayList<>()).addAll(series.getTimestamps());
                }
            }
        }
        return timestamps;
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic, boolean committedOnly) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, LIMIT).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, LIMIT);
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (System.nanoTime() < deadline
                    && partitions.stream().anyMatch(p -> consumer.position(p, LIMIT) < ends.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    records.add(record);
                }
            }
        }
        return records;
    }
}
