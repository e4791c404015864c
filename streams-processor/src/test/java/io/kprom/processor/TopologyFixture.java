package io.kprom.processor;

import io.kprom.common.labels.Labels;
import io.kprom.processor.config.ProcessorSettings;
import io.kprom.processor.rules.GroupEvaluator;
import io.kprom.processor.target.LocalTargetCounts;
import io.kprom.processor.target.TargetStageProcessor;
import io.kprom.schemas.avro.BatchSource;
import io.kprom.schemas.avro.MetricMetadata;
import io.kprom.schemas.avro.RawSeries;
import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.avro.ScrapeOutcome;
import io.kprom.schemas.avro.ScrapeTarget;
import io.kprom.schemas.avro.Series;
import io.kprom.schemas.avro.SeriesBatch;
import io.kprom.schemas.serde.KpromSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** A {@link TopologyTestDriver} around the processor topology plus builders for input batches. */
final class TopologyFixture implements AutoCloseable {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    final ProcessorSettings settings;
    final TopologyTestDriver driver;
    final TestInputTopic<String, ScrapeBatch> raw;
    final TestInputTopic<String, byte[]> rawBytes;
    final TestOutputTopic<String, SeriesBatch> samples;
    final TestOutputTopic<String, MetricMetadata> metadata;

    TopologyFixture(ProcessorSettings settings, GroupEvaluator evaluator, Path stateDir) {
        this(settings, evaluator, stateDir, () -> true);
    }

    TopologyFixture(ProcessorSettings settings, GroupEvaluator evaluator, Path stateDir,
            java.util.function.BooleanSupplier brokerReachable) {
        this.settings = settings;
        Properties props = ProcessorComponent.streamsProperties(Map.of(), "test-" + System.nanoTime(), "dummy:9092",
                stateDir.toString(), 0);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        driver = new TopologyTestDriver(ProcessorTopology.build(settings, evaluator, new LocalTargetCounts(), brokerReachable), props, START);
        raw = driver.createInputTopic(settings.rawTopic(), Serdes.String().serializer(),
                KpromSerdes.scrapeBatch(Map.of()).serializer());
        rawBytes = driver.createInputTopic(settings.rawTopic(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        samples = driver.createOutputTopic(settings.samplesTopic(), Serdes.String().deserializer(),
                KpromSerdes.seriesBatch(Map.of()).deserializer());
        metadata = driver.createOutputTopic(settings.metadataTopic(), Serdes.String().deserializer(),
                KpromSerdes.metricMetadata(Map.of()).deserializer());
    }

    void pipe(String key, ScrapeBatch batch) {
        raw.pipeInput(key, batch, batch.getScrapeTimestampMillis());
    }

    private long wallClockMillis = START.toEpochMilli();

    void advance(Duration duration) {
        wallClockMillis += duration.toMillis();
        driver.advanceWallClockTime(duration);
    }

    /** Moves the driver's wall clock forward to the given time (no-op when already past it). */
    void advanceTo(long millis) {
        if (millis > wallClockMillis) {
            advance(Duration.ofMillis(millis - wallClockMillis));
        }
    }

    /** Every output sample as (labels -> list of [timestamp, value]), in output order. */
    Map<Labels, List<double[]>> readSamples() {
        Map<Labels, List<double[]>> result = new TreeMap<>();
        for (TestRecord<String, SeriesBatch> record : samples.readRecordsToList()) {
            for (Series series : record.value().getSeries()) {
                Labels labels = Labels.fromList(series.getLabels());
                if (Integer.parseInt(record.key()) != io.kprom.processor.series.SeriesShards.shardOf(labels, settings.seriesShards())) {
                    throw new AssertionError("series " + labels + " in wrong shard " + record.key());
                }
                for (int i = 0; i < series.getValues().size(); i++) {
                    result.computeIfAbsent(labels, l -> new ArrayList<>())
                            .add(new double[] {series.getTimestamps().get(i), series.getValues().get(i)});
                }
            }
        }
        return result;
    }

    static boolean isStale(double value) {
        return Double.doubleToRawLongBits(value) == TargetStageProcessor.STALE_NAN_BITS;
    }

    /** A remote-write series {__name__=name, job=job} with one sample. */
    static RawSeries rw(String name, String job, long timestamp, double value) {
        return RawSeries.newBuilder().setLabels(Labels.of("__name__", name, "job", job).toList())
                .setTimestamps(List.of(timestamp)).setValues(List.of(value)).build();
    }

    /** {@code count} remote-write series named prefix0, prefix1, ... with one sample each. */
    static List<RawSeries> many(String prefix, String job, int count, long timestamp, double value) {
        List<RawSeries> series = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            series.add(rw(prefix + i, job, timestamp, value));
        }
        return series;
    }

    static ScrapeTarget target(String job, String instance, String... extraLabels) {
        Labels labels = Labels.of(extraLabels).toBuilder().set("job", job).set("instance", instance).build();
        return ScrapeTarget.newBuilder().setJob(job).setInstance(instance).setLabels(labels.toList())
                .setScrapeIntervalMillis(15_000).setScrapeTimeoutMillis(10_000).build();
    }

    static RawSeries series(double value, String... labels) {
        return RawSeries.newBuilder().setLabels(Labels.of(labels).toList()).setTimestamps(List.of(0L))
                .setValues(List.of(value)).build();
    }

    static RawSeries seriesAt(long timestamp, double value, String... labels) {
        return RawSeries.newBuilder().setLabels(Labels.of(labels).toList()).setTimestamps(List.of(timestamp))
                .setValues(List.of(value)).setExplicitTimestamps(true).build();
    }

    static ScrapeBatch scrape(ScrapeTarget target, long timestamp, List<RawSeries> series) {
        return ScrapeBatch.newBuilder().setSource(BatchSource.SCRAPE).setTarget(target).setScrapeTimestampMillis(timestamp)
                .setOutcome(ScrapeOutcome.newBuilder().setOk(true).setDurationSeconds(0.25).build())
                .setSeries(series).setMetadata(List.of()).build();
    }

    static ScrapeBatch failedScrape(ScrapeTarget target, long timestamp) {
        return ScrapeBatch.newBuilder().setSource(BatchSource.SCRAPE).setTarget(target).setScrapeTimestampMillis(timestamp)
                .setOutcome(ScrapeOutcome.newBuilder().setOk(false).setError("connection refused").setDurationSeconds(0.5).build())
                .setSeries(List.of()).setMetadata(List.of()).build();
    }

    static ScrapeBatch removed(ScrapeTarget target, long timestamp) {
        return ScrapeBatch.newBuilder().setSource(BatchSource.TARGET_REMOVED).setTarget(target)
                .setScrapeTimestampMillis(timestamp).setOutcome(ScrapeOutcome.newBuilder().setOk(true).build())
                .setSeries(List.of()).setMetadata(List.of()).build();
    }

    static ScrapeBatch remoteWrite(long timestamp, List<RawSeries> series) {
        return ScrapeBatch.newBuilder().setSource(BatchSource.REMOTE_WRITE).setTarget(null).setScrapeTimestampMillis(timestamp)
                .setOutcome(ScrapeOutcome.newBuilder().setOk(true).build()).setSeries(series).setMetadata(List.of()).build();
    }

    static String key(ScrapeTarget target) {
        return target.getJob() + "/" + target.getInstance();
    }

    @Override
    public void close() {
        driver.close();
    }
}
