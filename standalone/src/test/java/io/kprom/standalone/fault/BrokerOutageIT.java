package io.kprom.standalone.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kprom.common.kafka.TopicCatalogue;
import io.kprom.standalone.StandaloneOptions;
import io.kprom.standalone.StandaloneRunner;
import io.kprom.standalone.fault.outage.DebugLogging;
import io.kprom.standalone.fault.outage.PipelineClient;
import io.kprom.standalone.fault.outage.RestartableBroker;
import io.kprom.standalone.fault.outage.SequenceTarget;
import io.kprom.standalone.fault.outage.TopicDump;
import io.kprom.standalone.wiring.PipelineComponents;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #9 fault 2: the broker stops for 30 s under load and comes back on the same port and log
 * directory, while every component (scraper, processor, sink, evaluator) keeps running against it as an
 * external cluster. {@code /-/ready} must turn false during the outage and true afterwards without any
 * component being restarted, and every scrape the target answered must end up in the sink exactly once,
 * unless the scraper counted it as dropped or the scrape itself failed ({@code up} 0).
 *
 * <p>On a missing scrape the test prints where it got to: every {@code metrics.raw} record of the target and every
 * {@code metrics.samples} record of its series (committed and uncommitted), and the sink logs at debug which series'
 * samples the store did not take. That is how the loss this test once showed 1 run in 3 was found: during the outage
 * the processor expired the silent target on the wall clock and wrote stale markers at the last scrape + 1 interval;
 * the first scrape the scraper had buffered was a few milliseconds older than that marker when it arrived, so the TSDB
 * rejected it as out of order. The processor now waits for the broker to have answered for the whole expiry period.
 *
 * <p>The sink must reject no sample at all ({@code kprom_tsdb_samples_rejected_total} unchanged) and the recording
 * rule's samples in {@code metrics.samples} must be in timestamp order. The sink used to reject 4-7 samples of the
 * recording rule per run: the alert evaluator wrote every recording rule too, at query offset 0, while the processor
 * wrote the same series 15 s behind; the processor's samples came after newer ones. The evaluator now writes only
 * what alerting rules produce, and the processor's rule stage does not evaluate query times the broker was away for.
 */
@Tag("slow")
class BrokerOutageIT {
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final String DROPPED = "kprom_scraper_batches_dropped_total";
    /** Samples the sink's TSDB did not store, by reason (out_of_order, duplicate_timestamp, too_old). */
    private static final String REJECTED = "kprom_tsdb_samples_rejected_total";
    private static final String RULE = "outage:scrape_sequence:max";

    @Test
    void everyComponentRecoversAndNoScrapeIsLost(@TempDir Path dir) throws Exception {
        // Retried sends and samples the store did not take are logged at debug: the trail a missing scrape leaves.
        try (DebugLogging publisher = new DebugLogging("io.kprom.scraper.kafka");
                DebugLogging ingest = new DebugLogging("io.kprom.sink.ingest")) {
            runOutage(dir);
        }
    }

    private void runOutage(Path dir) throws Exception {
        Path rules = dir.resolve("rules.yml");
        Files.writeString(rules, """
                groups:
                  - name: outage
                    interval: 1s
                    rules:
                      - record: outage:scrape_sequence:max
                        expr: max(outage_scrape_sequence)
                      - alert: OutageTargetUp
                        expr: up{job="outage"} == 1
                """);
        try (RestartableBroker broker = new RestartableBroker(dir.resolve("kafka"));
                SequenceTarget target = new SequenceTarget()) {
            broker.start();
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                      evaluation_interval: 1s
                    rule_files: [rules.yml]
                    scrape_configs:
                      - job_name: outage
                        static_configs:
                          - targets: ['%s']
                    """.formatted(target.address()));
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            PipelineComponents.Options options = new PipelineComponents.Options(null, false, sink -> sink, 0);
            try (StandaloneRunner runner = new StandaloneRunner(new StandaloneOptions(config, dir.resolve("data"),
                    "127.0.0.1:0", "127.0.0.1", 0, Duration.ofSeconds(120)), PipelineComponents.all(options),
                    new PrintStream(log, true, StandardCharsets.UTF_8), TopicCatalogue.defaults(),
                    broker.bootstrapServers())) {
                runner.start();
                PipelineClient kprom = new PipelineClient(runner.webPort());
                double droppedBefore = kprom.selfMetric(DROPPED);
                double rejectedBefore = kprom.selfMetric(REJECTED);

                await("ready before the outage").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> kprom.readyStatus() == 200);
                await("scrapes queryable before the outage").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> kprom.scalar(SequenceTarget.METRIC + "{job=\"outage\"}") >= 3);
                // The recording rule has results before the outage too (15 s query offset), so its order is checked
                // across the outage.
                await(RULE + " recorded before the outage").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500)).until(() -> !Double.isNaN(kprom.scalar(RULE)));

                long stoppedAtMillis = System.currentTimeMillis();
                broker.stop();
                long stoppedAtNanos = System.nanoTime();
                long servedAtStop = target.served();
                await("not ready while the broker is down").atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(250)).until(() -> kprom.readyStatus() == 503);
                // The outage lasts its full 30 s; readiness stays false all along while scraping goes on.
                while (System.nanoTime() - stoppedAtNanos < OUTAGE.toNanos()) {
                    assertThat(kprom.readyStatus()).as("/-/ready during the outage").isEqualTo(503);
                    Thread.sleep(500);
                }
                assertThat(target.served()).as("scrapes answered during the outage").isGreaterThan(servedAtStop + 20);

                broker.start();
                long restartedAtMillis = System.currentTimeMillis();
                await("ready again after the broker returned").atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(500)).until(() -> kprom.readyStatus() == 200);
                long servedAfterRestart = target.served();
                // Scrapes buffered during the outage and scrapes after it all reach the sink.
                await("scrapes flow end to end after the outage").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> kprom.scalar(SequenceTarget.METRIC + "{job=\"outage\"}") >= servedAfterRestart + 2);
                // up, the processor's recording rule and the evaluator's alert have samples from after the restart.
                for (String series : List.of("up{job=\"outage\"}", "outage:scrape_sequence:max",
                        "ALERTS{alertname=\"OutageTargetUp\", alertstate=\"firing\"}")) {
                    await(series + " written after the restart").atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(500))
                            .until(() -> kprom.scalar("timestamp(" + series + ")") * 1000 > restartedAtMillis);
                }
                assertThat(kprom.scalar("up{job=\"outage\"}")).isEqualTo(1.0);

                long lastChecked = servedAfterRestart;
                List<PipelineClient.Point> stored = kprom.rawSamples(SequenceTarget.METRIC + "{job=\"outage\"}[1h]");
                Map<Long, Integer> timesSeen = new HashMap<>();
                for (PipelineClient.Point point : stored) {
                    timesSeen.merge((long) point.value(), 1, Integer::sum);
                }
                TreeSet<Long> missing = new TreeSet<>();
                for (long sequence = 1; sequence <= lastChecked; sequence++) {
                    if (!timesSeen.containsKey(sequence)) {
                        missing.add(sequence);
                    }
                }
                // A scrape the target answered but the scraper gave up on (a timeout on a loaded machine) is stored as up 0
                // without samples: a failed scrape, not lost data. It accounts for a missing number only when its up 0
                // sample lies between the stored neighbours of that number.
                List<PipelineClient.Point> upSamples = kprom.rawSamples("up{job=\"outage\"}[1h]");
                List<PipelineClient.Point> failedScrapes = new ArrayList<>(upSamples.stream().filter(p -> p.value() == 0).toList());
                List<Long> unaccounted = new ArrayList<>();
                for (long sequence : missing) {
                    long after = stored.stream().filter(p -> p.value() < sequence)
                            .mapToLong(PipelineClient.Point::timestampMillis).max().orElse(Long.MIN_VALUE);
                    long before = stored.stream().filter(p -> p.value() > sequence)
                            .mapToLong(PipelineClient.Point::timestampMillis).min().orElse(Long.MAX_VALUE);
                    PipelineClient.Point failed = failedScrapes.stream()
                            .filter(p -> p.timestampMillis() > after && p.timestampMillis() < before).findFirst().orElse(null);
                    if (failed == null) {
                        unaccounted.add(sequence);
                        System.out.printf("BrokerOutageIT: scrape %d missing between %d and %d; up samples there: %s%n",
                                sequence, after, before, upSamples.stream()
                                        .filter(p -> p.timestampMillis() >= after && p.timestampMillis() <= before).toList());
                    } else {
                        failedScrapes.remove(failed);
                    }
                }
                double rejected = kprom.selfMetric(REJECTED) - rejectedBefore;
                Map<Integer, List<Long>> ruleTimestamps = new TopicDump(broker.bootstrapServers())
                        .seriesTimestamps(List.of("__name__", RULE), true);
                List<String> ruleOutOfOrder = new ArrayList<>();
                ruleTimestamps.forEach((partition, times) -> {
                    for (int i = 1; i < times.size(); i++) {
                        if (times.get(i) <= times.get(i - 1)) {
                            ruleOutOfOrder.add("p" + partition + ": " + times.get(i) + " after " + times.get(i - 1));
                        }
                    }
                });
                double dropped = kprom.selfMetric(DROPPED) - droppedBefore;
                System.out.printf("BrokerOutageIT: %d scrapes answered up to the check, %d stored, %d missing %s of which"
                        + " %s not failed scrapes, %d batches counted as dropped, %d scrapes during the outage,"
                        + " %d samples of %s in metrics.samples%n",
                        lastChecked, stored.size(), missing.size(), missing, unaccounted, (long) dropped,
                        servedAfterRestart - servedAtStop, ruleTimestamps.values().stream().mapToInt(List::size).sum(), RULE);
                System.out.println("BrokerOutageIT: drop counters: "
                        + kprom.selfMetricLines("dropped|skipped|out_of_order|discarded|fail|rejected|scrapes_total"));
                if (rejected > 0 || !ruleOutOfOrder.isEmpty()) {
                    System.out.println("BrokerOutageIT: " + RULE + " in metrics.samples (read_committed):");
                    new TopicDump(broker.bootstrapServers()).seriesSamples(RULE, true).forEach(System.out::println);
                }
                assertThat(timesSeen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                        .collect(Collectors.toList())).as("scrapes stored twice").isEmpty();
                assertThat(stored.stream().map(PipelineClient.Point::timestampMillis).distinct().count())
                        .as("distinct timestamps").isEqualTo(stored.size());
                if (unaccounted.size() > dropped) {
                    TopicDump dump = new TopicDump(broker.bootstrapServers());
                    System.out.println("BrokerOutageIT: metrics.raw (read_uncommitted):");
                    dump.rawScrapes("outage", SequenceTarget.METRIC, false).forEach(System.out::println);
                    System.out.println("BrokerOutageIT: metrics.samples (read_committed):");
                    dump.seriesSamples(SequenceTarget.METRIC, true).forEach(System.out::println);
                    System.out.println("BrokerOutageIT: metrics.samples (read_uncommitted):");
                    dump.seriesSamples(SequenceTarget.METRIC, false).forEach(System.out::println);
                }
                // One writer per series, in timestamp order: the sink rejected nothing (the sink's debug log names
                // the series of any rejected sample). Recording-rule output once came from the processor and the
                // evaluator both, 15 s apart, and the sink rejected the processor's as out of order.
                assertThat(ruleOutOfOrder).as("%s samples in metrics.samples older than their predecessor", RULE).isEmpty();
                assertThat(ruleTimestamps.values().stream().flatMap(List::stream))
                        .as("%s recorded before the outage and after the restart", RULE)
                        .anyMatch(t -> t < stoppedAtMillis).anyMatch(t -> t > restartedAtMillis);
                assertThat(rejected).as("%s during the test", REJECTED).isZero();
                assertThat((double) unaccounted.size()).as("scrapes %s missing from the sink, neither failed (up 0) nor"
                        + " counted in %s", unaccounted, DROPPED).isLessThanOrEqualTo(dropped);
            }
        }
    }
}
