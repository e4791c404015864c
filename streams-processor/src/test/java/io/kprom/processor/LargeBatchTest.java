package io.kprom.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.labels.Labels;
import io.kprom.processor.config.ProcessorSettings;
import io.kprom.processor.config.SeriesLimits;
import io.kprom.processor.metrics.ProcessorMetrics;
import io.kprom.schemas.avro.BatchSource;
import io.kprom.schemas.avro.RawSeries;
import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.avro.ScrapeOutcome;
import io.kprom.schemas.avro.ScrapeTarget;
import io.kprom.schemas.avro.Series;
import io.kprom.schemas.avro.SeriesBatch;
import io.kprom.schemas.serde.KpromSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Output records stay below a series count however large the input batch; a cardinality bomb is capped. */
class LargeBatchTest {
    private static final long T0 = TopologyFixture.START.toEpochMilli();
    @TempDir
    Path stateDir;

    static Stream<Arguments> splitCases() {
        return Stream.of(
                Arguments.of("remote write, 10 series, at most 3 per record", BatchSource.REMOTE_WRITE, 10, 3, 10),
                Arguments.of("scrape, 10 series + 5 report series, at most 4 per record", BatchSource.SCRAPE, 10, 4, 15),
                Arguments.of("scrape fits in one record", BatchSource.SCRAPE, 10, 100, 15),
                Arguments.of("one series per record", BatchSource.REMOTE_WRITE, 7, 1, 7));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("splitCases")
    void outputRecordsHoldAtMostTheConfiguredSeriesInInputOrder(String name, BatchSource source, int seriesCount,
            int maxPerRecord, int expectedSeries) {
        ProcessorSettings settings = ProcessorSettings.builder().seriesShards(1).maxSeriesPerRecord(maxPerRecord).build();
        try (TopologyFixture f = new TopologyFixture(settings, null, stateDir)) {
            ScrapeTarget target = TopologyFixture.target("split", "h:1");
            List<RawSeries> series = new ArrayList<>();
            for (int i = 0; i < seriesCount; i++) {
                series.add(TopologyFixture.series(i, "__name__", "split_" + (char) ('a' + i), "job", "split"));
            }
            ScrapeBatch batch = source == BatchSource.SCRAPE ? TopologyFixture.scrape(target, T0, series)
                    : TopologyFixture.remoteWrite(T0, series);
            f.pipe(TopologyFixture.key(target), batch);
            List<TestRecord<String, SeriesBatch>> records = f.samples.readRecordsToList();
            List<String> names = new ArrayList<>();
            for (TestRecord<String, SeriesBatch> record : records) {
                assertThat(record.value().getSeries()).hasSizeBetween(1, maxPerRecord);
                for (Series s : record.value().getSeries()) {
                    names.add(Labels.fromList(s.getLabels()).metricName());
                }
            }
            assertThat(records).hasSize((expectedSeries + maxPerRecord - 1) / maxPerRecord);
            assertThat(names).hasSize(expectedSeries);
            List<String> scraped = names.stream().filter(n -> n.startsWith("split_")).toList();
            assertThat(scraped).isSorted().hasSize(seriesCount);
        }
    }

    /**
     * One target suddenly exposes a million series: the per-target stage passes them on in records of at
     * most 10 000 series, and the series stage admits exactly the job's active-series limit and counts
     * every other sample as dropped for {@code series_limit}. One shard: the test driver runs every
     * partition in one task, so per-shard limits would not add up as they do across real tasks.
     */
    @Test
    @Tag("slow")
    void millionSeriesScrapeIsCappedByTheJobSeriesLimit() {
        int seriesCount = 1_000_000;
        int shards = 1;
        long jobLimit = 40_000;
        ProcessorSettings settings = ProcessorSettings.builder().seriesShards(shards).maxSeriesPerRecord(10_000)
                .seriesLimits(new SeriesLimits(0, 0, Map.of("bomb", jobLimit), Duration.ofMinutes(5), 10)).build();
        try (TopologyFixture f = new TopologyFixture(settings, null, stateDir)) {
            ScrapeTarget target = TopologyFixture.target("bomb", "bomb:9100");
            double droppedBefore = ProcessorMetrics.SAMPLES_DROPPED.labelValues("series_limit", "bomb").get();
            f.rawBytes.pipeInput(TopologyFixture.key(target), encodedBomb(target, seriesCount), T0);

            long admitted = 0;
            int records = 0;
            Set<Integer> keys = new HashSet<>();
            for (TestRecord<String, SeriesBatch> record : f.samples.readRecordsToList()) {
                records++;
                keys.add(Integer.parseInt(record.key()));
                assertThat(record.value().getSeries().size()).isLessThanOrEqualTo(10_000);
                admitted += record.value().getSeries().size();
            }
            long perShard = SeriesLimits.perShard(jobLimit, shards);
            assertThat(admitted).isEqualTo(perShard * shards);
            assertThat(keys).containsExactly(0);
            assertThat(records).isEqualTo((int) (jobLimit / 10_000));
            // 1 000 000 scraped series + 5 report series, one sample each.
            assertThat(ProcessorMetrics.SAMPLES_DROPPED.labelValues("series_limit", "bomb").get() - droppedBefore)
                    .isEqualTo(seriesCount + 5 - admitted);
            assertThat(SeriesStageTest.gauge("kprom_processor_active_series_by_job", "job")).containsEntry("bomb",
                    (double) admitted);
        }
    }

    /** Builds and encodes the batch in one go, so the test holds the encoded bytes rather than a million objects. */
    private static byte[] encodedBomb(ScrapeTarget target, int seriesCount) {
        List<Long> timestamps = List.of(0L);
        List<Double> values = List.of(1.0);
        List<RawSeries> series = new ArrayList<>(seriesCount);
        for (int i = 0; i < seriesCount; i++) {
            series.add(new RawSeries(List.of("__name__", "bomb_requests_total", "request_id", Integer.toString(i)),
                    timestamps, values, false, null, null, null));
        }
        ScrapeBatch batch = TopologyFixture.scrape(target, T0, series);
        return KpromSerdes.scrapeBatch(Map.of()).serializer().serialize("raw", batch);
    }
}
