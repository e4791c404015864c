package io.kprom.scraper.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kprom.common.config.ScrapeConfig;
import io.kprom.common.config.TargetGroup;
import io.kprom.common.labels.Labels;
import io.kprom.schemas.avro.BatchSource;
import io.kprom.schemas.avro.MetricType;
import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.scraper.TestConfigs;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScrapePoolTest {
    private TestTarget up;
    private TestTarget other;
    private HttpClients clients;
    private ScheduledExecutorService scheduler;
    private ExecutorService workers;
    private RecordingPublisher publisher;

    @BeforeEach
    void setUp() throws Exception {
        up = new TestTarget();
        other = new TestTarget();
        clients = new HttpClients();
        scheduler = Executors.newScheduledThreadPool(1);
        workers = Executors.newFixedThreadPool(4);
        publisher = new RecordingPublisher();
    }

    @AfterEach
    void tearDown() throws Exception {
        scheduler.shutdownNow();
        workers.shutdownNow();
        clients.close();
        up.close();
        other.close();
    }

    private ScrapePool pool(String extra) throws Exception {
        ScrapeConfig config = TestConfigs.scrape("""
                  - job_name: node
                    scrape_interval: 1s
                    scrape_timeout: 900ms
                """ + extra);
        return new ScrapePool(config, clients, publisher, ShardOwnership.ALL, scheduler, workers);
    }

    private List<ScrapeBatch> batchesFor(String address) {
        return publisher.published().stream().map(RecordingPublisher.Published::batch)
                .filter(b -> b.getTarget() != null && b.getTarget().getInstance().equals(address)).toList();
    }

    @Test
    void publishesOneBatchPerScrapeWithTargetLabelsSeriesAndMetadata() throws Exception {
        up.answer(200, "text/plain; version=0.0.4", """
                # HELP node_load1 1m load average.
                # TYPE node_load1 gauge
                node_load1 0.5
                node_cpu_seconds_total{mode="idle",cpu="0"} 100 1700000000000
                """);
        ScrapePool pool = pool("");
        pool.sync(List.of(new TargetGroup(List.of(up.address()), Labels.of("env", "prod"), "static/0")));
        await().atMost(Duration.ofSeconds(20)).until(() -> batchesFor(up.address()).stream()
                .filter(b -> b.getOutcome().getOk()).count() >= 2);
        ScrapeBatch batch = batchesFor(up.address()).stream().filter(b -> b.getOutcome().getOk()).findFirst().orElseThrow();
        assertThat(batch.getSource()).isEqualTo(BatchSource.SCRAPE);
        assertThat(batch.getOutcome().getOk()).isTrue();
        assertThat(batch.getOutcome().getContentType()).startsWith("text/plain");
        assertThat(batch.getOutcome().getBodyBytes()).isPositive();
        assertThat(batch.getTarget().getJob()).isEqualTo("node");
        assertThat(batch.getTarget().getLabels()).containsExactly("env", "prod", "instance", up.address(), "job", "node");
        assertThat(batch.getTarget().getScrapeIntervalMillis()).isEqualTo(1000L);
        assertThat(batch.getTarget().getScrapeTimeoutMillis()).isEqualTo(900L);
        assertThat(batch.getSeries()).hasSize(2);
        assertThat(batch.getSeries().get(0).getLabels()).containsExactly("__name__", "node_load1");
        assertThat(batch.getSeries().get(0).getTimestamps()).containsExactly(batch.getScrapeTimestampMillis());
        assertThat(batch.getSeries().get(0).getExplicitTimestamps()).isFalse();
        assertThat(batch.getSeries().get(1).getLabels()).containsExactly("__name__", "node_cpu_seconds_total", "cpu", "0", "mode", "idle");
        assertThat(batch.getSeries().get(1).getTimestamps()).containsExactly(1700000000000L);
        assertThat(batch.getSeries().get(1).getExplicitTimestamps()).isTrue();
        assertThat(batch.getMetadata()).singleElement().satisfies(m -> {
            assertThat(m.getMetricFamily()).isEqualTo("node_load1");
            assertThat(m.getType()).isEqualTo(MetricType.GAUGE);
            assertThat(m.getHelp()).isEqualTo("1m load average.");
        });
        String key = publisher.published().stream().filter(p -> p.batch() == batch).findFirst().orElseThrow().key();
        assertThat(key).startsWith("node/" + up.address() + "#");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(pool.activeLoops()).singleElement().satisfies(loop -> {
                    assertThat(loop.health()).isEqualTo("up");
                    assertThat(loop.lastError()).isEmpty();
                }));
    }

    @Test
    void failedScrapesStillPublishTheirOutcomeAndRemovedTargetsAreAnnounced() throws Exception {
        up.answer(200, "text/plain", "a 1\n");
        other.answer(503, "text/plain", "down");
        ScrapePool pool = pool("");
        pool.sync(List.of(new TargetGroup(List.of(up.address(), other.address()), Labels.EMPTY, "static/0")));
        // Scrapes on a loaded machine may also time out; wait for one that reached the target.
        await().atMost(Duration.ofSeconds(20)).until(() -> batchesFor(other.address()).stream()
                .anyMatch(b -> "server returned HTTP status 503 Service Unavailable".equals(b.getOutcome().getError())));
        assertThat(batchesFor(other.address())).allSatisfy(failed -> {
            assertThat(failed.getOutcome().getOk()).isFalse();
            assertThat(failed.getSeries()).isEmpty();
        });

        pool.sync(List.of(new TargetGroup(List.of(up.address()), Labels.EMPTY, "static/0")));
        assertThat(batchesFor(other.address())).last()
                .satisfies(b -> assertThat(b.getSource()).isEqualTo(BatchSource.TARGET_REMOVED));
        int countAfterRemoval = batchesFor(other.address()).size();
        Thread.sleep(1500);
        assertThat(batchesFor(other.address())).hasSize(countAfterRemoval);
        assertThat(pool.activeLoops()).hasSize(1);
    }

    @Test
    void parseErrorsAndUnknownContentTypesFailTheScrapeUnlessAFallbackIsConfigured() throws Exception {
        up.answer(200, "text/plain", "ok 1\nbroken\n");
        other.answer(200, null, "x 1\n");
        ScrapePool pool = pool("");
        pool.sync(List.of(new TargetGroup(List.of(up.address(), other.address()), Labels.EMPTY, "static/0")));
        await().atMost(Duration.ofSeconds(20)).until(() -> batchesFor(up.address()).stream().anyMatch(b ->
                "line 2: expected value after metric, got \"\\n\"".equals(b.getOutcome().getError())));
        await().atMost(Duration.ofSeconds(20)).until(() -> batchesFor(other.address()).stream().anyMatch(b ->
                ("non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target")
                        .equals(b.getOutcome().getError())));
        pool.stop(false);

        publisher.published().clear();
        ScrapePool withFallback = pool("    fallback_scrape_protocol: PrometheusText0.0.4\n");
        withFallback.sync(List.of(new TargetGroup(List.of(other.address()), Labels.EMPTY, "static/0")));
        await().atMost(Duration.ofSeconds(20)).until(() -> batchesFor(other.address()).stream()
                .anyMatch(b -> b.getOutcome().getOk() && b.getSeries().size() == 1));
        withFallback.stop(false);
    }

    @Test
    void targetLimitFailsEveryScrapeOfThePool() throws Exception {
        ScrapePool pool = pool("    target_limit: 1\n");
        pool.sync(List.of(new TargetGroup(List.of(up.address(), other.address()), Labels.EMPTY, "static/0")));
        await().atMost(Duration.ofSeconds(10)).until(() -> !batchesFor(up.address()).isEmpty());
        assertThat(batchesFor(up.address()).get(0).getOutcome().getError())
                .isEqualTo("target_limit exceeded (number of targets: 2, limit: 1)");
        pool.stop(false);
    }

    @Test
    void unownedShardsAreNotScraped() throws Exception {
        ShardOwnership none = new ShardOwnership() {
            @Override
            public int shards() {
                return 4;
            }

            @Override
            public boolean owns(int shard) {
                return false;
            }
        };
        ScrapePool pool = new ScrapePool(TestConfigs.scrape("""
                  - job_name: node
                    scrape_interval: 1s
                    scrape_timeout: 900ms
                """), clients, publisher, none, scheduler, workers);
        pool.sync(List.of(new TargetGroup(List.of(up.address()), Labels.EMPTY, "static/0")));
        Thread.sleep(2500);
        assertThat(up.requests()).isEmpty();
        pool.sync(List.of());
        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void startOffsetsAreSpreadDeterministicallyByHash() {
        long interval = 60_000;
        long now = 1_700_000_012_345L;
        long a = ScrapeLoop.offsetMillis(12345, interval, now);
        assertThat(a).isEqualTo(ScrapeLoop.offsetMillis(12345, interval, now));
        assertThat(a).isBetween(0L, interval);
        // The first scrape lands on the same wall-clock phase (hash mod interval) for every process.
        assertThat(Math.floorMod(now + a, interval)).isEqualTo(12345 % interval);
        assertThat(Math.floorMod(now + ScrapeLoop.offsetMillis(-7L, interval, now), interval))
                .isEqualTo(Long.remainderUnsigned(-7L, interval));
    }
}
