package io.kprom.standalone.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kprom.common.kafka.TopicCatalogue;
import io.kprom.common.kafka.Topics;
import io.kprom.processor.config.SeriesLimits;
import io.kprom.standalone.StandaloneOptions;
import io.kprom.standalone.StandaloneRunner;
import io.kprom.standalone.fault.corpus.BombTargets;
import io.kprom.standalone.fault.corpus.LimitedPipeline;
import io.kprom.standalone.fault.corpus.MemoryReport;
import io.kprom.standalone.fault.corpus.PipelineApi;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
 * Issue #9 fault 7, the cardinality bomb, through the whole pipeline in one JVM: a target that suddenly
 * exposes {@code kprom.bomb.series} distinct series (default {@value #DEFAULT_BOMB_SERIES}) next to a
 * normal target, with a processor active-series limit for the bomb's job ({@code kprom.bomb.limit},
 * default 24 000, i.e. 2 000 per {@code metrics.samples} shard). The excess is dropped and counted in
 * {@code kprom_processor_samples_dropped_total{reason="series_limit"}}, the sink holds no more series than
 * the limit allows, the normal target's data keeps arriving, and heap-after-GC and RSS before and after
 * are printed for the report. The default size is what the processor handles today within the CI budget;
 * run {@code -Dkprom.bomb.series=1000000 -Dkprom.bomb.limit=48000} for the full million.
 */
@Tag("slow")
class CardinalityBombIT {
    static final int DEFAULT_BOMB_SERIES = 50_000;
    static final long JOB_LIMIT = Long.getLong("kprom.bomb.limit", 24_000);
    private static final int BOMB_SERIES = Integer.getInteger("kprom.bomb.series", DEFAULT_BOMB_SERIES);
    private static final Pattern DROPPED = Pattern.compile(
            "kprom_processor_samples_dropped_total\\{(?=[^}]*job=\"bomb\")(?=[^}]*reason=\"series_limit\")[^}]*} (\\S+)");

    @Test
    void excessSeriesAreDroppedAndCountedWhileTheNormalTargetKeepsFlowing(@TempDir Path dir) throws Exception {
        TopicCatalogue catalogue = TopicCatalogue.defaults();
        int shards = catalogue.topic(Topics.METRICS_SAMPLES).partitions();
        long admittedAtMost = SeriesLimits.perShard(JOB_LIMIT, shards) * shards;
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
            try (StandaloneRunner runner = new StandaloneRunner(new StandaloneOptions(config, dir.resolve("data"),
                    "127.0.0.1:0", "127.0.0.1", 0, Duration.ofSeconds(180)), LimitedPipeline.factories(limits),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), catalogue)) {
                runner.start();
                PipelineApi api = new PipelineApi(runner.webPort());
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    assertThat(api.scalar("up{job=\"normal\"}")).isEqualTo(1.0);
                    assertThat(api.scalar("up{job=\"bomb\"}")).isEqualTo(1.0);
                    assertThat(api.resultSize("bomb_requests_total")).isEqualTo(BombTargets.QUIET_SERIES);
                });
                MemoryReport before = MemoryReport.now();
                long bombStartMillis = System.currentTimeMillis();
                targets.arm();

                // The bomb's next scrape: everything above the limit is dropped and counted.
                long mustDrop = BOMB_SERIES + BombTargets.QUIET_SERIES - admittedAtMost;
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(() -> assertThat(dropped(api)).isGreaterThanOrEqualTo(mustDrop));
                // The admitted part reaches the sink; the sink never holds more than the limit allows.
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                        assertThat(api.scalar("count(bomb_requests_total)")).isGreaterThan(JOB_LIMIT * 0.9));
                double bombSeries = api.scalar("count({job=\"bomb\"})");
                assertThat(bombSeries).isLessThanOrEqualTo(admittedAtMost);
                // The normal target kept going: scrapes after the bomb arrived, all its series, no failed scrape.
                long afterBombMillis = System.currentTimeMillis();
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                        assertThat(api.scalar("timestamp(up{job=\"normal\"})")).isGreaterThan(afterBombMillis / 1000.0));
                String window = "[" + ((System.currentTimeMillis() - bombStartMillis) / 1000 + 1) + "s]";
                assertThat(api.scalar("min_over_time(up{job=\"normal\"}" + window + ")")).isEqualTo(1.0);
                assertThat(api.resultSize("normal_requests_total")).isEqualTo(BombTargets.NORMAL_SERIES);
                assertThat(api.get("/-/ready").status()).isEqualTo(200);

                MemoryReport after = MemoryReport.now();
                System.out.printf("cardinality bomb: %d series (%d MiB body), job limit %d (at most %d over %d shards):"
                                + " %.0f samples dropped as series_limit, %.0f bomb-job series in the sink;"
                                + " before: %s; after: %s%n", BOMB_SERIES, targets.bombBytes() >> 20, JOB_LIMIT,
                        admittedAtMost, shards, dropped(api), bombSeries, before, after);
                // Memory stays bounded: what the pipeline keeps after the bomb is the admitted series, not the bomb.
                assertThat(after.heapAfterGcBytes() - before.heapAfterGcBytes()).isLessThan(512L << 20);
            }
        }
    }

    private static double dropped(PipelineApi api) {
        Matcher matcher = DROPPED.matcher(api.get("/metrics").body());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
