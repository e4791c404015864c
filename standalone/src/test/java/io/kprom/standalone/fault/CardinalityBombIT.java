package io.kprom.standalone.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kprom.common.kafka.TopicCatalogue;
import io.kprom.common.kafka.Topics;
import io.kprom.processor.config.SeriesLimits;
import io.kprom.standalone.fault.corpus.BombPipeline;
import io.kprom.standalone.fault.corpus.BombTargets;
import io.kprom.standalone.fault.corpus.MemoryReport;
import io.kprom.standalone.fault.corpus.OneJvmPipeline;
import io.kprom.standalone.fault.corpus.PerComponentPipeline;
import io.kprom.standalone.fault.corpus.PipelineApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #9 fault 7, the cardinality bomb, through the whole pipeline: a target that suddenly exposes
 * {@code kprom.bomb.series} distinct series (default {@value #DEFAULT_BOMB_SERIES}, the million)
 * for {@value #BOMB_SCRAPES} scrapes, next to a normal target, with a processor active-series limit for the
 * bomb's job ({@code kprom.bomb.limit}, default {@value #DEFAULT_JOB_LIMIT}, i.e. 4 000 per
 * {@code metrics.samples} shard).
 *
 * <p>Every scrape of the bomb drops exactly its series plus the 5 report series minus what the limit
 * admits, counted once in {@code kprom_processor_samples_dropped_total{reason="series_limit"}}; the sink
 * holds exactly the admitted series, which end with stale markers when the bomb is over; the normal target
 * stays up with all its series. Memory is measured once the pipeline is idle again, so it shows what each
 * component keeps (the admitted series), not a scrape in flight. The broker stays in this JVM; sink,
 * processor and scraper each run in a child JVM with heap {@code kprom.bomb.heap} (default
 * {@value #DEFAULT_HEAP}), so each one's memory is its own; their logs, GC logs and data stay in
 * {@code cardinality-bomb-<millis>} under {@code java.io.tmpdir} (the module's build directory in Maven).
 * {@code -Dkprom.bomb.heap=shared} runs everything in the test JVM instead.
 */
@Tag("slow")
class CardinalityBombIT {
    static final int DEFAULT_BOMB_SERIES = 1_000_000;
    static final long DEFAULT_JOB_LIMIT = 48_000;
    static final String DEFAULT_HEAP = "2g";
    static final int BOMB_SCRAPES = 2;
    /** up, scrape_duration_seconds, scrape_samples_scraped, scrape_samples_post_metric_relabeling, scrape_series_added. */
    static final int REPORT_SERIES = 5;
    static final long JOB_LIMIT = Long.getLong("kprom.bomb.limit", DEFAULT_JOB_LIMIT);
    private static final int BOMB_SERIES = Integer.getInteger("kprom.bomb.series", DEFAULT_BOMB_SERIES);
    /** Heap of each component's child JVM, or {@code shared}: all components in this JVM. */
    private static final String HEAP = System.getProperty("kprom.bomb.heap", DEFAULT_HEAP);
    private static final Pattern DROPPED = Pattern.compile(
            "kprom_processor_samples_dropped_total\\{(?=[^}]*job=\"bomb\")(?=[^}]*reason=\"series_limit\")[^}]*} (\\S+)");

    @Test
    void excessSeriesAreDroppedAndCountedWhileTheNormalTargetKeepsFlowing(@TempDir Path dir) throws Exception {
        TopicCatalogue catalogue = TopicCatalogue.defaults();
        int shards = catalogue.topic(Topics.METRICS_SAMPLES).partitions();
        long admitted = SeriesLimits.perShard(JOB_LIMIT, shards) * shards;
        // Each shard receives about BOMB_SERIES / shards candidates, far more than its share of the limit,
        // so every shard fills up and exactly `admitted` series of the job are active.
        assertThat(BOMB_SERIES).isGreaterThan((int) (2 * admitted));
        long droppedPerScrape = BOMB_SERIES + REPORT_SERIES - admitted;
        long testStartMillis = System.currentTimeMillis();
        try (BombTargets targets = new BombTargets(BOMB_SERIES)) {
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                    scrape_configs:
                      - job_name: normal
                        metrics_path: /normal
                        scrape_interval: 2s
                        scrape_timeout: 2s
                        static_configs:
                          - targets: ['%1$s']
                      - job_name: bomb
                        metrics_path: /bomb
                        scrape_interval: 15s
                        scrape_timeout: 15s
                        static_configs:
                          - targets: ['%1$s']
                    """.formatted(targets.address()));
            SeriesLimits limits = new SeriesLimits(0, 0, Map.of("bomb", JOB_LIMIT), Duration.ofMinutes(20), 10);
            try (BombPipeline pipeline = HEAP.equals("shared")
                    ? new OneJvmPipeline(config, dir.resolve("data"), limits, catalogue)
                    : new PerComponentPipeline(config, logDirectory(), "bomb", JOB_LIMIT, HEAP, catalogue)) {
                PipelineApi api = pipeline.queries();
                PipelineApi processorApi = pipeline.processorMetrics();
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    assertThat(api.scalar("up{job=\"normal\"}")).isEqualTo(1.0);
                    assertThat(api.scalar("up{job=\"bomb\"}")).isEqualTo(1.0);
                    assertThat(api.resultSize("bomb_requests_total")).isEqualTo(BombTargets.QUIET_SERIES);
                });
                long quietSeconds = (System.currentTimeMillis() - testStartMillis) / 1000;
                Map<String, MemoryReport> before = pipeline.memory();
                long bombStartMillis = System.currentTimeMillis();
                targets.arm(BOMB_SCRAPES);

                // Each bomb scrape drops exactly droppedPerScrape samples, counted once.
                long expectedDrops = BOMB_SCRAPES * droppedPerScrape;
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertThat(dropped(processorApi)).isEqualTo((double) expectedDrops));
                // The quiet scrape after the bomb ends the admitted bomb series with stale markers; once the
                // sink has them, every component has finished with the bomb.
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    assertThat(api.scalar("timestamp(up{job=\"bomb\"})")).isGreaterThan(targets.lastBombMillis() / 1000.0);
                    assertThat(api.scalar("count({job=\"bomb\"})")).isEqualTo((double) BombTargets.QUIET_SERIES + REPORT_SERIES);
                });
                assertThat(targets.bombScrapes()).isEqualTo(BOMB_SCRAPES);
                String window = "[" + ((System.currentTimeMillis() - bombStartMillis) / 1000 + 1) + "s]";
                // Exactly the admitted series reached the sink (the report series take 5 of them); both bomb
                // scrapes succeeded and reported their size.
                assertThat(api.scalar("count(count_over_time(bomb_requests_total" + window + "))"))
                        .isEqualTo((double) admitted - REPORT_SERIES);
                assertThat(api.scalar("min_over_time(up{job=\"bomb\"}" + window + ")")).isEqualTo(1.0);
                assertThat(api.scalar("max_over_time(scrape_samples_scraped{job=\"bomb\"}" + window + ")"))
                        .isEqualTo((double) BOMB_SERIES);
                // The normal target kept going: all its series, no failed scrape.
                assertThat(api.scalar("min_over_time(up{job=\"normal\"}" + window + ")")).isEqualTo(1.0);
                assertThat(api.resultSize("normal_requests_total")).isEqualTo(BombTargets.NORMAL_SERIES);
                pipeline.listeners().forEach((name, listener) ->
                        assertThat(listener.get("/-/ready").status()).as(name + " ready").isEqualTo(200));

                Map<String, MemoryReport> after = pipeline.memory();
                assertThat(dropped(processorApi)).as("drops counted once").isEqualTo((double) expectedDrops);
                StringBuilder memory = new StringBuilder();
                after.forEach((name, report) -> memory.append("; ").append(name).append(" before: ")
                        .append(before.get(name)).append(", after: ").append(report));
                System.out.printf("cardinality bomb: %d series (%d MiB body) for %d scrapes, job limit %d (%d admitted"
                                + " over %d shards), %s, %.0f samples dropped as series_limit (%d scrapes x %d); %d s"
                                + " from start to the quiet targets' data in the sink, %.0f s from arming to here%s%n",
                        BOMB_SERIES, targets.bombBytes() >> 20, BOMB_SCRAPES, JOB_LIMIT, admitted, shards,
                        HEAP.equals("shared") ? "one JVM" : "a JVM per component with -Xmx" + HEAP,
                        dropped(processorApi), BOMB_SCRAPES, droppedPerScrape, quietSeconds,
                        (System.currentTimeMillis() - bombStartMillis) / 1000.0, memory);
                // Memory stays bounded: what the pipeline keeps after the bomb is the admitted series, not the bomb.
                after.forEach((name, report) -> assertThat(report.heapAfterGcBytes() - before.get(name).heapAfterGcBytes())
                        .as(name + " heap growth").isLessThan(name.equals("processor") ? 512L << 20 : 256L << 20));
            }
        }
    }

    /** Data and logs of the per-component run, kept after the test (under the build directory in Maven). */
    private static Path logDirectory() throws java.io.IOException {
        return Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"),
                "cardinality-bomb-" + System.currentTimeMillis()));
    }

    private static double dropped(PipelineApi api) {
        Matcher matcher = DROPPED.matcher(api.get("/metrics").body());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
