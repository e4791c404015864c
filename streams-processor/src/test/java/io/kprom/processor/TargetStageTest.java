package io.kprom.processor;

import static io.kprom.processor.TopologyFixture.failedScrape;
import static io.kprom.processor.TopologyFixture.isStale;
import static io.kprom.processor.TopologyFixture.key;
import static io.kprom.processor.TopologyFixture.remoteWrite;
import static io.kprom.processor.TopologyFixture.removed;
import static io.kprom.processor.TopologyFixture.scrape;
import static io.kprom.processor.TopologyFixture.series;
import static io.kprom.processor.TopologyFixture.seriesAt;
import static io.kprom.processor.TopologyFixture.target;
import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.labels.Labels;
import io.kprom.processor.config.JobPolicy;
import io.kprom.processor.config.ProcessorSettings;
import io.kprom.processor.metrics.ProcessorMetrics;
import io.kprom.schemas.avro.MetricMetadata;
import io.kprom.schemas.avro.MetricType;
import io.kprom.schemas.avro.RawSeries;
import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.avro.ScrapeTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TargetStageTest {
    private static final long T0 = TopologyFixture.START.toEpochMilli();
    @TempDir
    Path stateDir;

    private TopologyFixture fixture(JobPolicy... policies) {
        ProcessorSettings.Builder builder = ProcessorSettings.builder().seriesShards(1)
                .targetExpiry(2, Duration.ofSeconds(5));
        for (JobPolicy policy : policies) {
            builder.job(policy);
        }
        return new TopologyFixture(builder.build(), null, stateDir);
    }

    private static Labels l(String... pairs) {
        return Labels.of(pairs);
    }

    private static double value(Map<Labels, List<double[]>> out, Labels labels) {
        List<double[]> samples = out.get(labels);
        assertThat(samples).as("samples of %s in %s", labels, out.keySet()).isNotNull().hasSize(1);
        return samples.get(0)[1];
    }

    @Test
    void attachesTargetLabelsAndWritesReportSeries() {
        try (TopologyFixture f = fixture()) {
            ScrapeTarget node = target("node", "host:9100", "env", "prod");
            f.pipe(key(node), scrape(node, T0, List.of(series(5, "__name__", "a", "x", "1"), series(7, "__name__", "b"))));
            Map<Labels, List<double[]>> out = f.readSamples();
            Labels target = l("job", "node", "instance", "host:9100", "env", "prod");
            assertThat(value(out, l("__name__", "a", "x", "1", "job", "node", "instance", "host:9100", "env", "prod"))).isEqualTo(5);
            assertThat(out.get(l("__name__", "b", "job", "node", "instance", "host:9100", "env", "prod")).get(0)[0]).isEqualTo(T0);
            assertThat(value(out, target.toBuilder().set("__name__", "up").build())).isEqualTo(1);
            assertThat(value(out, target.toBuilder().set("__name__", "scrape_duration_seconds").build())).isEqualTo(0.25);
            assertThat(value(out, target.toBuilder().set("__name__", "scrape_samples_scraped").build())).isEqualTo(2);
            assertThat(value(out, target.toBuilder().set("__name__", "scrape_samples_post_metric_relabeling").build())).isEqualTo(2);
            assertThat(value(out, target.toBuilder().set("__name__", "scrape_series_added").build())).isEqualTo(2);
        }
    }

    static Stream<Arguments> honorLabelsCases() {
        return Stream.of(
                Arguments.of("honor_labels false renames the clash", false,
                        new String[] {"__name__", "m", "job", "scraped"},
                        l("__name__", "m", "job", "node", "exported_job", "scraped", "instance", "h:1")),
                Arguments.of("honor_labels false renames twice when exported_ is taken", false,
                        new String[] {"__name__", "m", "job", "scraped", "exported_job", "e"},
                        l("__name__", "m", "job", "node", "exported_job", "e", "exported_exported_job", "scraped", "instance", "h:1")),
                Arguments.of("honor_labels true keeps the scraped value", true,
                        new String[] {"__name__", "m", "job", "scraped"},
                        l("__name__", "m", "job", "scraped", "instance", "h:1")),
                Arguments.of("no clash adds target labels", false,
                        new String[] {"__name__", "m"},
                        l("__name__", "m", "job", "node", "instance", "h:1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("honorLabelsCases")
    void honorLabels(String name, boolean honor, String[] scraped, Labels expected) {
        try (TopologyFixture f = fixture(JobPolicy.defaults("node").withHonorLabels(honor))) {
            ScrapeTarget node = target("node", "h:1");
            f.pipe(key(node), scrape(node, T0, List.of(series(1, scraped))));
            assertThat(f.readSamples()).containsKey(expected);
        }
    }

    @Test
    void metricRelabelingDropsAndRewritesAndSeesTargetLabels() {
        JobPolicy policy = JobPolicy.defaults("node").withRelabeling(labels -> {
            if (labels.getOrEmpty("__name__").startsWith("go_")) {
                return null;
            }
            // Relabeling runs after target labels are attached, as in Prometheus.
            return labels.toBuilder().set("seen_job", labels.get("job")).build();
        });
        try (TopologyFixture f = fixture(policy)) {
            ScrapeTarget node = target("node", "h:1");
            f.pipe(key(node), scrape(node, T0, List.of(series(1, "__name__", "go_gc"), series(2, "__name__", "keep"))));
            Map<Labels, List<double[]>> out = f.readSamples();
            assertThat(out).containsKey(l("__name__", "keep", "job", "node", "instance", "h:1", "seen_job", "node"));
            assertThat(out.keySet()).noneMatch(labels -> "go_gc".equals(labels.metricName()));
            Labels target = l("job", "node", "instance", "h:1");
            assertThat(value(out, target.toBuilder().set("__name__", "scrape_samples_scraped").build())).isEqualTo(2);
            assertThat(value(out, target.toBuilder().set("__name__", "scrape_samples_post_metric_relabeling").build())).isEqualTo(1);
        }
    }

    static Stream<Arguments> limitCases() {
        List<RawSeries> three = List.of(series(1, "__name__", "a"), series(2, "__name__", "b", "path", "/very/long/value"),
                series(3, "__name__", "c", "x", "1", "y", "2", "a_rather_long_label_name", "3"));
        return Stream.of(
                Arguments.of("sample_limit", JobPolicy.defaults("j").withLimits(2, 0, 0, 0), three),
                Arguments.of("label_limit", JobPolicy.defaults("j").withLimits(0, 5, 0, 0), three),
                Arguments.of("label_name_length_limit", JobPolicy.defaults("j").withLimits(0, 0, 20, 0), three),
                Arguments.of("label_value_length_limit", JobPolicy.defaults("j").withLimits(0, 0, 0, 10), three));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limitCases")
    void limitsFailTheWholeScrape(String reason, JobPolicy policy, List<RawSeries> series) {
        try (TopologyFixture f = fixture(policy.withScrapeIntervalMillis(15_000))) {
            ScrapeTarget t = target("j", "h:1");
            f.pipe(key(t), scrape(t, T0, List.of(series(9, "__name__", "a"))));
            f.readSamples();
            double before = ProcessorMetrics.SCRAPES_FAILED.labelValues(reason, "j").get();
            f.pipe(key(t), scrape(t, T0 + 15_000, series));
            Map<Labels, List<double[]>> out = f.readSamples();
            Labels target = l("job", "j", "instance", "h:1");
            assertThat(value(out, target.toBuilder().set("__name__", "up").build())).isEqualTo(0);
            assertThat(value(out, target.toBuilder().set("__name__", "scrape_samples_scraped").build())).isEqualTo(3);
            // The only scraped series in the output is the stale marker of the previous scrape's series.
            assertThat(out.keySet().stream().filter(labels -> !labels.metricName().startsWith("scrape_")
                    && !labels.metricName().equals("up"))).containsExactly(target.toBuilder().set("__name__", "a").build());
            assertThat(isStale(value(out, target.toBuilder().set("__name__", "a").build()))).isTrue();
            assertThat(ProcessorMetrics.SCRAPES_FAILED.labelValues(reason, "j").get()).isEqualTo(before + 1);
        }
    }

    @Test
    void vanishedSeriesGetStaleMarkersAtTheNextScrape() {
        try (TopologyFixture f = fixture()) {
            ScrapeTarget t = target("node", "h:1");
            f.pipe(key(t), scrape(t, T0, List.of(series(1, "__name__", "a"), series(2, "__name__", "b"))));
            f.readSamples();
            f.pipe(key(t), scrape(t, T0 + 15_000, List.of(series(1, "__name__", "a"), series(3, "__name__", "c"))));
            Map<Labels, List<double[]>> out = f.readSamples();
            Labels b = l("__name__", "b", "job", "node", "instance", "h:1");
            assertThat(out.get(b)).hasSize(1);
            assertThat(out.get(b).get(0)[0]).isEqualTo(T0 + 15_000);
            assertThat(isStale(out.get(b).get(0)[1])).isTrue();
            assertThat(value(out, l("__name__", "scrape_series_added", "job", "node", "instance", "h:1"))).isEqualTo(1);
        }
    }

    @Test
    void failedScrapeMarksEverySeriesStaleAndReportsUpZero() {
        try (TopologyFixture f = fixture()) {
            ScrapeTarget t = target("node", "h:1");
            f.pipe(key(t), scrape(t, T0, List.of(series(1, "__name__", "a"), series(2, "__name__", "b"))));
            f.readSamples();
            f.pipe(key(t), failedScrape(t, T0 + 15_000));
            Map<Labels, List<double[]>> out = f.readSamples();
            assertThat(isStale(value(out, l("__name__", "a", "job", "node", "instance", "h:1")))).isTrue();
            assertThat(isStale(value(out, l("__name__", "b", "job", "node", "instance", "h:1")))).isTrue();
            assertThat(value(out, l("__name__", "up", "job", "node", "instance", "h:1"))).isEqualTo(0);
            assertThat(value(out, l("__name__", "scrape_duration_seconds", "job", "node", "instance", "h:1"))).isEqualTo(0.5);
            // Recovery: everything is new again.
            f.pipe(key(t), scrape(t, T0 + 30_000, List.of(series(1, "__name__", "a"))));
            assertThat(value(f.readSamples(), l("__name__", "scrape_series_added", "job", "node", "instance", "h:1"))).isEqualTo(1);
        }
    }

    @Test
    void removedTargetMarksSeriesAndReportSeriesStale() {
        try (TopologyFixture f = fixture()) {
            ScrapeTarget t = target("node", "h:1");
            f.pipe(key(t), scrape(t, T0, List.of(series(1, "__name__", "a"))));
            f.readSamples();
            f.pipe(key(t), removed(t, T0 + 20_000));
            Map<Labels, List<double[]>> out = f.readSamples();
            assertThat(out.keySet()).extracting(Labels::metricName).containsExactlyInAnyOrder("a", "up",
                    "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling",
                    "scrape_series_added");
            out.values().forEach(samples -> {
                assertThat(samples).hasSize(1);
                assertThat(samples.get(0)[0]).isEqualTo(T0 + 20_000);
                assertThat(isStale(samples.get(0)[1])).isTrue();
            });
        }
    }

    @Test
    void targetSilentForTooManyIntervalsExpires() {
        try (TopologyFixture f = fixture()) {
            ScrapeTarget t = target("node", "h:1");
            f.pipe(key(t), scrape(t, T0, List.of(series(1, "__name__", "a"))));
            f.readSamples();
            f.advance(Duration.ofSeconds(20));
            assertThat(f.readSamples()).isEmpty();
            f.advance(Duration.ofSeconds(15));
            Map<Labels, List<double[]>> out = f.readSamples();
            assertThat(out).hasSize(6);
            List<double[]> a = out.get(l("__name__", "a", "job", "node", "instance", "h:1"));
            assertStaleMarkerAt(a.get(0), T0 + 15_000);
            f.advance(Duration.ofMinutes(5));
            assertThat(f.readSamples()).isEmpty();
        }
    }

    @Test
    void taskBehindItsInputDoesNotExpireTargetsItHasNotReadYet() {
        try (TopologyFixture f = fixture()) {
            ScrapeTarget t1 = target("node", "h:1");
            ScrapeTarget t2 = target("node", "h:2");
            f.pipe(key(t1), scrape(t1, T0, List.of(series(1, "__name__", "a"))));
            f.pipe(key(t2), scrape(t2, T0, List.of(series(1, "__name__", "a"))));
            // The task reads scrapes long after they were taken: h:1's next one is still queued behind h:2's.
            f.advance(Duration.ofSeconds(20));
            f.pipe(key(t2), scrape(t2, T0 + 15_000, List.of(series(1, "__name__", "a"))));
            f.advance(Duration.ofSeconds(15));
            f.pipe(key(t1), scrape(t1, T0 + 15_000, List.of(series(1, "__name__", "a"))));
            f.readSamples().values().forEach(samples ->
                    assertThat(samples).noneMatch(sample -> isStale(sample[1])));
        }
    }

    @Test
    void noWallClockExpiryUntilTheBrokerHasAnsweredForTheWholePeriod() {
        java.util.concurrent.atomic.AtomicBoolean reachable = new java.util.concurrent.atomic.AtomicBoolean(true);
        ProcessorSettings settings = ProcessorSettings.builder().seriesShards(1).targetExpiry(2, Duration.ofSeconds(5)).build();
        try (TopologyFixture f = new TopologyFixture(settings, null, stateDir, reachable::get)) {
            ScrapeTarget t = target("node", "h:1");
            f.pipe(key(t), scrape(t, T0, List.of(series(1, "__name__", "a"))));
            f.readSamples();
            reachable.set(false);
            f.advance(Duration.ofSeconds(35));
            reachable.set(true);
            // Scrapes buffered during the outage are still on their way: no markers they would land behind.
            f.advance(Duration.ofSeconds(25));
            assertThat(f.readSamples()).isEmpty();
            f.advance(Duration.ofSeconds(10));
            List<double[]> a = f.readSamples().get(l("__name__", "a", "job", "node", "instance", "h:1"));
            assertStaleMarkerAt(a.get(0), T0 + 15_000);
        }
    }

    @Test
    void targetSilentInScrapeTimeExpiresWhileOthersKeepScraping() {
        try (TopologyFixture f = fixture()) {
            ScrapeTarget t1 = target("node", "h:1");
            ScrapeTarget t2 = target("node", "h:2");
            f.pipe(key(t1), scrape(t1, T0, List.of(series(1, "__name__", "a"))));
            for (long at = T0; at <= T0 + 45_000; at += 15_000) {
                f.pipe(key(t2), scrape(t2, at, List.of(series(1, "__name__", "a"))));
                f.advance(Duration.ofSeconds(5));
            }
            Map<Labels, List<double[]>> out = f.readSamples();
            List<double[]> gone = out.get(l("__name__", "a", "job", "node", "instance", "h:1"));
            assertStaleMarkerAt(gone.get(gone.size() - 1), T0 + 15_000);
            out.get(l("__name__", "a", "job", "node", "instance", "h:2"))
                    .forEach(sample -> assertThat(isStale(sample[1])).isFalse());
        }
    }

    private static void assertStaleMarkerAt(double[] sample, long timestamp) {
        assertThat(sample[0]).isEqualTo(timestamp);
        assertThat(isStale(sample[1])).isTrue();
    }

    static Stream<Arguments> timestampCases() {
        return Stream.of(Arguments.of("honor_timestamps true keeps exposed time", true, T0 - 5_000L),
                Arguments.of("honor_timestamps false uses scrape time", false, T0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timestampCases")
    void honorTimestamps(String name, boolean honor, long expected) {
        try (TopologyFixture f = fixture(JobPolicy.defaults("node").withHonorTimestamps(honor))) {
            ScrapeTarget t = target("node", "h:1");
            f.pipe(key(t), scrape(t, T0, List.of(seriesAt(T0 - 5_000, 4, "__name__", "a"))));
            assertThat(f.readSamples().get(l("__name__", "a", "job", "node", "instance", "h:1")).get(0)[0]).isEqualTo(expected);
            // A series with honored explicit timestamps is not stale-marked when it vanishes (Prometheus neither).
            f.pipe(key(t), scrape(t, T0 + 15_000, List.of()));
            assertThat(f.readSamples().containsKey(l("__name__", "a", "job", "node", "instance", "h:1"))).isEqualTo(!honor);
        }
    }

    @Test
    void duplicateSeriesInOneScrapeKeepsTheFirst() {
        try (TopologyFixture f = fixture()) {
            ScrapeTarget t = target("node", "h:1");
            double before = ProcessorMetrics.SAMPLES_DROPPED.labelValues("duplicate_series", "node").get();
            f.pipe(key(t), scrape(t, T0, List.of(series(1, "__name__", "a"), series(2, "__name__", "a"))));
            assertThat(value(f.readSamples(), l("__name__", "a", "job", "node", "instance", "h:1"))).isEqualTo(1);
            assertThat(ProcessorMetrics.SAMPLES_DROPPED.labelValues("duplicate_series", "node").get()).isEqualTo(before + 1);
        }
    }

    @Test
    void metadataIsPublishedOncePerChange() {
        try (TopologyFixture f = fixture()) {
            ScrapeTarget t = target("node", "h:1");
            MetricMetadata counter = MetricMetadata.newBuilder().setMetricFamily("http_requests").setType(MetricType.COUNTER)
                    .setHelp("Requests.").setUnit("").build();
            ScrapeBatch first = scrape(t, T0, List.of(series(1, "__name__", "http_requests_total")));
            first.setMetadata(List.of(counter));
            f.pipe(key(t), first);
            ScrapeBatch second = scrape(t, T0 + 15_000, List.of(series(2, "__name__", "http_requests_total")));
            second.setMetadata(List.of(counter));
            f.pipe(key(t), second);
            ScrapeBatch third = scrape(t, T0 + 30_000, List.of(series(3, "__name__", "http_requests_total")));
            third.setMetadata(List.of(MetricMetadata.newBuilder(counter).setHelp("Requests served.").build()));
            f.pipe(key(t), third);
            var records = f.metadata.readKeyValuesToList();
            assertThat(records).hasSize(2);
            assertThat(records.get(0).key).isEqualTo("http_requests");
            assertThat(records.get(1).value.getHelp()).isEqualTo("Requests served.");
        }
    }

    @Test
    void remoteWritePassesThroughUnchanged() {
        try (TopologyFixture f = fixture()) {
            RawSeries series = RawSeries.newBuilder().setLabels(l("__name__", "rw", "job", "pushed").toList())
                    .setTimestamps(List.of(T0 - 1000, T0)).setValues(List.of(1.0, 2.0)).build();
            f.raw.pipeInput("remote", remoteWrite(T0, List.of(series)), T0);
            Map<Labels, List<double[]>> out = f.readSamples();
            assertThat(out).containsOnlyKeys(l("__name__", "rw", "job", "pushed"));
            assertThat(out.get(l("__name__", "rw", "job", "pushed"))).hasSize(2);
        }
    }

    @Test
    void undecodableRecordIsCountedAndSkipped() {
        try (TopologyFixture f = fixture()) {
            double before = ProcessorMetrics.RECORDS_DROPPED.labelValues("undecodable").get();
            f.rawBytes.pipeInput("garbage", new byte[] {1, 2, 3}, T0);
            ScrapeTarget t = target("node", "h:1");
            f.pipe(key(t), scrape(t, T0, List.of(series(1, "__name__", "a"))));
            assertThat(f.readSamples()).containsKey(l("__name__", "a", "job", "node", "instance", "h:1"));
            assertThat(ProcessorMetrics.RECORDS_DROPPED.labelValues("undecodable").get()).isEqualTo(before + 1);
        }
    }

    @Test
    void invalidLabelsAreCountedAndDoNotStopTheApplication() {
        try (TopologyFixture f = fixture()) {
            double before = ProcessorMetrics.RECORDS_DROPPED.labelValues("processing_error").get();
            ScrapeTarget t = target("node", "h:1");
            RawSeries odd = RawSeries.newBuilder().setLabels(List.of("__name__", "a", "dangling"))
                    .setTimestamps(List.of(0L)).setValues(List.of(1.0)).build();
            f.pipe(key(t), scrape(t, T0, List.of(odd)));
            f.pipe(key(t), scrape(t, T0 + 15_000, List.of(series(1, "__name__", "b"))));
            assertThat(f.readSamples()).containsKey(l("__name__", "b", "job", "node", "instance", "h:1"));
            assertThat(ProcessorMetrics.RECORDS_DROPPED.labelValues("processing_error").get()).isEqualTo(before + 1);
        }
    }

    @Test
    void targetLimitFailsScrapesOfTheJob() {
        try (TopologyFixture f = fixture(JobPolicy.defaults("node").withTargetLimit(2))) {
            for (int i = 0; i < 3; i++) {
                ScrapeTarget t = target("node", "h:" + i);
                f.pipe(key(t), scrape(t, T0, List.of(series(1, "__name__", "a"))));
            }
            Map<Labels, List<double[]>> out = f.readSamples();
            assertThat(value(out, l("__name__", "up", "job", "node", "instance", "h:0"))).isEqualTo(1);
            assertThat(value(out, l("__name__", "up", "job", "node", "instance", "h:2"))).isEqualTo(0);
            assertThat(out).doesNotContainKey(l("__name__", "a", "job", "node", "instance", "h:2"));
        }
    }
}
