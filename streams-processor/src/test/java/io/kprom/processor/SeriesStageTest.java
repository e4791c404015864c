package io.kprom.processor;

import static io.kprom.processor.TopologyFixture.many;
import static io.kprom.processor.TopologyFixture.remoteWrite;
import static io.kprom.processor.TopologyFixture.rw;
import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.labels.Labels;
import io.kprom.processor.config.ProcessorSettings;
import io.kprom.processor.config.SeriesLimits;
import io.kprom.processor.metrics.ProcessorMetrics;
import io.kprom.processor.series.SeriesShards;
import io.kprom.processor.target.TargetStageProcessor;
import io.kprom.schemas.avro.RawSeries;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SeriesStageTest {
    private static final long T0 = TopologyFixture.START.toEpochMilli();
    @TempDir
    Path stateDir;

    private TopologyFixture fixture(SeriesLimits limits) {
        return new TopologyFixture(ProcessorSettings.builder().seriesShards(1).seriesLimits(limits).build(), null, stateDir);
    }

    static Stream<Arguments> limitCases() {
        return Stream.of(
                Arguments.of("global limit", new SeriesLimits(3, 0, Map.of(), Duration.ofMinutes(1), 5), "glob", 3),
                Arguments.of("default per-job limit", new SeriesLimits(0, 2, Map.of(), Duration.ofMinutes(1), 5), "defjob", 2),
                Arguments.of("explicit per-job limit", new SeriesLimits(0, 2, Map.of("pjob", 4L), Duration.ofMinutes(1), 5), "pjob", 4),
                Arguments.of("no limit", SeriesLimits.none(), "nolimit", 5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limitCases")
    void newSeriesBeyondTheLimitAreDroppedAndKnownOnesPass(String name, SeriesLimits limits, String job, int admitted) {
        try (TopologyFixture f = fixture(limits)) {
            double before = ProcessorMetrics.SAMPLES_DROPPED.labelValues("series_limit", job).get();
            f.raw.pipeInput("rw", remoteWrite(T0, many(job + "_m", job, 5, T0, 1)), T0);
            assertThat(f.readSamples()).hasSize(admitted);
            assertThat(ProcessorMetrics.SAMPLES_DROPPED.labelValues("series_limit", job).get()).isEqualTo(before + 5 - admitted);
            // The admitted (first) series keep passing; the others stay out.
            f.raw.pipeInput("rw", remoteWrite(T0 + 15_000, many(job + "_m", job, 5, T0 + 15_000, 2)), T0 + 15_000);
            Map<Labels, List<double[]>> out = f.readSamples();
            assertThat(out).hasSize(admitted);
            assertThat(out).containsKey(Labels.of("__name__", job + "_m0", "job", job));
        }
    }

    @Test
    void expiredSeriesFreeTheirSlots() {
        try (TopologyFixture f = fixture(new SeriesLimits(2, 0, Map.of(), Duration.ofMinutes(1), 5))) {
            f.raw.pipeInput("rw", remoteWrite(T0, many("exp_a", "exp", 2, T0, 1)), T0);
            f.raw.pipeInput("rw", remoteWrite(T0, many("exp_b", "exp", 2, T0, 1)), T0);
            assertThat(f.readSamples()).hasSize(2);
            f.advance(Duration.ofMinutes(2));
            f.raw.pipeInput("rw", remoteWrite(T0 + 120_000, many("exp_b", "exp", 2, T0 + 120_000, 1)), T0 + 120_000);
            assertThat(f.readSamples()).containsOnlyKeys(Labels.of("__name__", "exp_b0", "job", "exp"),
                    Labels.of("__name__", "exp_b1", "job", "exp"));
        }
    }

    @Test
    void scrapeJobHeaderDecidesTheJobLimitNotTheJobLabel() {
        SeriesLimits limits = new SeriesLimits(0, 0, Map.of("scrapejob", 7L), Duration.ofMinutes(1), 5);
        try (TopologyFixture f = fixture(limits)) {
            var target = TopologyFixture.target("scrapejob", "h:1");
            List<RawSeries> series = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                // The exposed job label is renamed exported_job; the limit still counts against the scrape job.
                series.add(TopologyFixture.series(i, "__name__", "hdr" + i, "job", "other"));
            }
            f.pipe(TopologyFixture.key(target), TopologyFixture.scrape(target, T0, series));
            // 5 scraped + 5 report series, 7 admitted.
            assertThat(f.readSamples()).hasSize(7);
        }
    }

    @Test
    void staleMarkerOfAnUnknownSeriesAtTheLimitIsDroppedUncounted() {
        try (TopologyFixture f = fixture(new SeriesLimits(1, 0, Map.of(), Duration.ofMinutes(1), 5))) {
            f.raw.pipeInput("rw", remoteWrite(T0, List.of(rw("st_a", "st", T0, 1))), T0);
            double dropped = ProcessorMetrics.SAMPLES_DROPPED.labelValues("series_limit", "st").get();
            f.raw.pipeInput("rw", remoteWrite(T0, List.of(rw("st_b", "st", T0, TargetStageProcessor.STALE_NAN))), T0);
            assertThat(f.readSamples()).containsOnlyKeys(Labels.of("__name__", "st_a", "job", "st"));
            // Not a lost sample: the marker would end a series that was never stored.
            assertThat(ProcessorMetrics.SAMPLES_DROPPED.labelValues("series_limit", "st").get()).isEqualTo(dropped);
            f.raw.pipeInput("rw", remoteWrite(T0 + 1, List.of(rw("st_b", "st", T0 + 1, 2))), T0 + 1);
            assertThat(ProcessorMetrics.SAMPLES_DROPPED.labelValues("series_limit", "st").get()).isEqualTo(dropped + 1);
        }
    }

    @Test
    void cardinalityTopNIsExported() {
        try (TopologyFixture f = fixture(new SeriesLimits(0, 0, Map.of(), Duration.ofMinutes(1), 3))) {
            List<RawSeries> series = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                series.add(RawSeries.newBuilder().setLabels(Labels.of("__name__", "card_big", "id", "v" + i, "job", "card").toList())
                        .setTimestamps(List.of(T0)).setValues(List.of(1.0)).build());
            }
            series.add(rw("card_small", "card", T0, 1));
            f.raw.pipeInput("rw", remoteWrite(T0, series), T0);
            f.readSamples();
            Map<String, Double> byName = gauge("kprom_processor_series_by_metric_name", "metric_name");
            assertThat(byName).containsEntry("card_big", 40.0);
            Map<String, Double> byPair = gauge("kprom_processor_series_by_label_pair", "label_value");
            assertThat(byPair).containsEntry("card", 41.0);
            assertThat(gauge("kprom_processor_active_series_by_job", "job")).containsEntry("card", 41.0);
        }
    }

    @Test
    void shardOfASeriesIsItsStableHashModuloTheShardCount() {
        Labels labels = Labels.of("__name__", "up", "job", "node");
        for (int shards : new int[] {1, 2, 7, 64}) {
            assertThat(SeriesShards.shardOf(labels, shards)).isEqualTo((int) Long.remainderUnsigned(labels.stableHash(), shards));
        }
    }

    static Map<String, Double> gauge(String name, String label) {
        Map<String, Double> values = new java.util.HashMap<>();
        for (MetricSnapshot snapshot : PrometheusRegistry.defaultRegistry.scrape()) {
            if (snapshot.getMetadata().getPrometheusName().equals(name)) {
                for (GaugeSnapshot.GaugeDataPointSnapshot point : ((GaugeSnapshot) snapshot).getDataPoints()) {
                    values.put(point.getLabels().get(label), point.getValue());
                }
            }
        }
        return values;
    }
}
